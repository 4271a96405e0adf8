//! The VMs' age identity (`nixvm secrets`' key) against age's own tools:
//! age-keygen derives the same recipient from the key file nixvm writes,
//! and what age encrypts to that recipient decrypts with the key.

mod common;

use nixvm::machines::age_key::Identity;
use std::process::{Command, Stdio};

#[test]
fn age_reads_the_identity_nixvm_makes() {
    let test = "age_reads_the_identity_nixvm_makes";
    let (Some(age), Some(keygen)) = (common::required_tool("age", test), common::required_tool("age-keygen", test))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..3 {
        let identity = Identity::generate().unwrap();
        let key = dir.path().join("age-key");
        std::fs::write(&key, identity.file_text()).unwrap();
        let out = Command::new(&keygen).arg("-y").arg(&key).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), identity.recipient);

        let sealed = dir.path().join("secret.age");
        let mut encrypt = Command::new(&age)
            .args(["-r", &identity.recipient, "-o"])
            .arg(&sealed)
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        encrypt.stdin.take().unwrap().write_all(b"the VM's database password\n").unwrap();
        assert!(encrypt.wait().unwrap().success());
        let out = Command::new(&age).arg("-d").arg("-i").arg(&key).arg(&sealed).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, b"the VM's database password\n");
    }
    // And an identity age-keygen made reads as the recipient it prints.
    let made = dir.path().join("made");
    let out = Command::new(&keygen).arg("-o").arg(&made).output().unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&made).unwrap();
    let printed = text.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap();
    assert_eq!(Identity::parse(&text).unwrap().recipient, printed);
}
