//! A name that is not a machine gets one answer from every command that
//! takes machine names: "no machine `X` in this project (machines: ...)",
//! exit 2, and nothing done. A machine that left the configuration but
//! still has state keeps working for `down`, `clean` and `logs`.

mod common;

#[test]
fn every_command_says_a_name_is_no_machine() {
    if common::nix("every_command_says_a_name_is_no_machine").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/networks/build-vms.nix");
    let expected = "no machine `nosuch` in this project (machines: client, server)";
    for args in [
        &["build", "nosuch"][..],
        &["run", "nosuch"],
        &["up", "nosuch"],
        &["down", "nosuch"],
        &["ssh", "nosuch"],
        &["deploy", "nosuch"],
        &["logs", "nosuch"],
        &["clean", "nosuch"],
        &["secrets", "nosuch"],
        &["check", "nosuch"],
    ] {
        let out = common::nixvm_in(&proj, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("nixvm up nosuch"), "{args:?} suggests what fails: {stderr}");
    }
    assert!(!proj.join(".nixvm/nosuch").exists(), "nothing is made for a name that is no machine");
    assert!(!proj.join(".nixvm/identity").exists(), "no age identity for a project without secrets");

    // A machine of the configuration that never ran: said so, not unknown.
    let out = common::nixvm_in(&proj, &["ssh", "client"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("client is not running"), "{stderr}");

    // A machine that left the configuration keeps its state, which the
    // commands on state still reach.
    let gone = proj.join(".nixvm/retired");
    std::fs::create_dir_all(&gone).unwrap();
    std::fs::write(gone.join("console.log"), "the last boot of retired\n").unwrap();
    let logs = common::nixvm_in(&proj, &["logs", "retired"]);
    assert_eq!(logs.status.code(), Some(0), "{}", String::from_utf8_lossy(&logs.stderr));
    assert_eq!(String::from_utf8_lossy(&logs.stdout), "the last boot of retired\n");
    let down = common::nixvm_in(&proj, &["down", "retired"]);
    assert_eq!(down.status.code(), Some(0), "{}", String::from_utf8_lossy(&down.stderr));
    assert!(String::from_utf8_lossy(&down.stderr).contains("retired: not running"));
    let clean = common::nixvm_in(&proj, &["clean", "retired"]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stderr));
    assert!(String::from_utf8_lossy(&clean.stdout).contains("retired: removed its disk image and state"));
    assert!(!gone.exists());
    // It is gone now: an unknown name again, listing what is left.
    let out = common::nixvm_in(&proj, &["clean", "retired"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("no machine `retired` in this project (machines: client, server)"));
}

/// `down` and `clean` with nothing to do say so.
#[test]
fn nothing_to_do_is_said() {
    if common::nix("nothing_to_do_is_said").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/networks/build-vms.nix");
    // (`--offline` among the stub's flags: `down` takes nix's flags.)
    let down = common::nixvm_in(&proj, &["down"]);
    assert_eq!(down.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&down.stderr).contains("nothing to stop"), "{down:?}");
    let clean = common::nixvm_in(&proj, &["clean"]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&clean.stderr).contains("nothing to clean"), "{clean:?}");
}
