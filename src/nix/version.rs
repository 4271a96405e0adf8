//! Which Nix runs, and what follows from its version: the few places where
//! the command line of Nix 2.8 and of current Nix (2.18 to 2.31, Lix,
//! Determinate) differ. Pure: text in, a version and argument forms out.

use std::fmt;

/// A Nix version as `nix --version` or `builtins.nixVersion` print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

/// `nix build` reads a bare `/nix/store/…drv` as the derivation's outputs
/// up to 2.14 and as the `.drv` file itself since 2.15, where `DRV^*`
/// names the outputs (2.8 rejects `^`: "is not a valid URL").
const DRV_MEANS_FILE: Version = Version { major: 2, minor: 15, patch: 0 };

impl Version {
    /// The version in `nix (Nix) 2.26.3`, `nix (Lix, like Nix) 2.91.1`,
    /// `nix (Determinate Nix 3.6.2) 2.29.0`, `2.18.3-lix`,
    /// `2.24.0pre20240801_dirty`: the last word that starts with
    /// `MAJOR.MINOR`. None when there is none.
    pub fn parse(text: &str) -> Option<Version> {
        let line = text.lines().find(|l| !l.trim().is_empty())?;
        line.split_whitespace().rev().find_map(|word| {
            let (major, rest) = leading_number(word)?;
            let (minor, rest) = leading_number(rest.strip_prefix('.')?)?;
            let patch = rest.strip_prefix('.').and_then(leading_number).map_or(0, |(p, _)| p);
            Some(Version { major, minor, patch })
        })
    }

    /// The installable that builds the outputs of the derivation `drv`
    /// (a store path ending in `.drv`) with this Nix.
    pub fn derivation_outputs(&self, drv: &str) -> String {
        if *self >= DRV_MEANS_FILE {
            format!("{drv}^*")
        } else {
            drv.to_string()
        }
    }
}

/// The number at the start of `s` and what follows it.
fn leading_number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    Some((s[..end].parse().ok()?, &s[end..]))
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(major: u32, minor: u32, patch: u32) -> Version {
        Version { major, minor, patch }
    }

    #[test]
    fn versions_as_each_nix_prints_them() {
        for (text, want) in [
            ("nix (Nix) 2.8.0\n", v(2, 8, 0)),
            ("nix (Nix) 2.26.3", v(2, 26, 3)),
            ("nix (Lix, like Nix) 2.91.1\nSystem type: x86_64-linux\n", v(2, 91, 1)),
            ("nix (Determinate Nix 3.6.2) 2.29.0", v(2, 29, 0)),
            ("2.18.3-lix", v(2, 18, 3)),
            ("2.24.0pre20240801_dirty", v(2, 24, 0)),
            ("nix (Nix) 2.31", v(2, 31, 0)),
        ] {
            assert_eq!(Version::parse(text), Some(want), "{text:?}");
        }
        for text in ["", "nix", "nix (Nix) two", "2-26", "\n\n"] {
            assert_eq!(Version::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn derivation_outputs_follow_the_version() {
        let drv = "/nix/store/mh3rz2qzm0lrcxk22g2b1kifak7q2nj9-x.drv";
        assert_eq!(v(2, 8, 0).derivation_outputs(drv), drv);
        assert_eq!(v(2, 14, 1).derivation_outputs(drv), drv);
        assert_eq!(v(2, 15, 0).derivation_outputs(drv), format!("{drv}^*"));
        assert_eq!(v(2, 26, 3).derivation_outputs(drv), format!("{drv}^*"));
        assert_eq!(v(2, 91, 1).derivation_outputs(drv), format!("{drv}^*"));
    }
}
