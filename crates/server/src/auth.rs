//! Sign-in and who is asking: argon2id passwords, random session and API tokens (only their
//! SHA-256 is stored), the CSRF token of a session, lockout after failures in a row, the
//! optional TOTP second factor (RFC 6238), and the caller's practices and roles.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash};
use hmac::{Hmac, Mac};
use rand::RngCore;

/// The roles a user is granted per practice.
pub use store::setup::ROLES;

/// The rules of signing in.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Failures in a row that lock a user.
    pub lock_after: i64,
    /// How long a lock lasts.
    pub lock_for: Duration,
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in whatever happens.
    pub absolute: Duration,
    /// Cookies carry `Secure` (served over TLS).
    pub secure_cookies: bool,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            lock_after: 5,
            lock_for: Duration::from_secs(15 * 60),
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 3600),
            secure_cookies: false,
        }
    }
}

/// The shortest password anyone may set (NIST SP 800-63B asks at least 8; billing data is worth
/// more).
pub const MIN_PASSWORD: usize = 12;

/// Checks a new password's length; the error says what to do.
pub fn check_password(p: &str) -> Result<(), String> {
    if p.chars().count() < MIN_PASSWORD {
        return Err(format!(
            "password: at least {MIN_PASSWORD} characters (a phrase of a few words is easiest)"
        ));
    }
    if p.len() > 1024 {
        return Err("password: at most 1024 bytes".into());
    }
    Ok(())
}

/// An argon2id hash (PHC string) of a password.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Whether `password` matches the PHC string `hash` (false for an empty or unreadable hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// A hash no password matches, verified for unknown users so that a wrong login takes as long
/// as a wrong password (no way to learn which logins exist by timing).
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password nobody has").unwrap_or_default())
}

/// 32 random bytes as 64 hex digits (session secrets, CSRF and API tokens).
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex(&b)
}

fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    b.iter().fold(String::with_capacity(b.len() * 2), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    })
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A time as the store keeps it (RFC 3339 UTC, milliseconds), so that times compare as text.
pub fn timestamp(t: SystemTime) -> String {
    store::timestamp(t)
}

/// The TOTP code (six digits, 30-second steps, HMAC-SHA1) of a base32 secret at a time.
pub fn totp(secret_base32: &str, at: SystemTime) -> Option<String> {
    let key = base32_decode(secret_base32)?;
    let step = at.duration_since(UNIX_EPOCH).ok()?.as_secs() / 30;
    Some(totp_at_step(&key, step))
}

fn totp_at_step(key: &[u8], step: u64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[19] & 0x0f) as usize;
    let n = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]) % 1_000_000;
    format!("{n:06}")
}

/// Whether `code` is the TOTP code of the secret now, a step before or a step after (clock
/// drift between the phone and the server).
pub fn totp_matches(secret_base32: &str, code: &str, now: SystemTime) -> bool {
    let Some(key) = base32_decode(secret_base32) else { return false };
    let Ok(d) = now.duration_since(UNIX_EPOCH) else { return false };
    let step = d.as_secs() / 30;
    [step.saturating_sub(1), step, step + 1]
        .iter()
        .any(|s| same_token(&totp_at_step(&key, *s), code.trim()))
}

/// A new random TOTP secret, base32 (what an authenticator app is given).
pub fn new_totp_secret() -> String {
    let mut b = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base32_encode(&b)
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(b: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0);
    for &x in b {
        buf = (buf << 8) | x as u32;
        bits += 8;
        while bits >= 5 {
            out.push(B32[((buf >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(B32[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| !matches!(c, b'=' | b' ' | b'-')) {
        let v = B32.iter().position(|&x| x == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Who is asking: the user and what the user may do where.
#[derive(Clone, Debug)]
pub struct Caller {
    /// User ID.
    pub user_id: i64,
    /// The user's organization (billing service).
    pub org_id: i64,
    /// Login (what the audit log names).
    pub login: String,
    /// (practice, role) grants.
    pub grants: Vec<(i64, String)>,
    /// The session's CSRF token (None for an API token, which is exempt).
    pub csrf: Option<String>,
    /// The client's address.
    pub address: String,
}

impl Caller {
    /// The practices where the user holds any role.
    pub fn practices(&self) -> Vec<i64> {
        let mut p: Vec<i64> = self.grants.iter().map(|g| g.0).collect();
        p.dedup();
        p
    }

    /// The practices where the user holds one of `roles`.
    pub fn practices_as(&self, roles: &[&str]) -> Vec<i64> {
        let mut p: Vec<i64> =
            self.grants.iter().filter(|g| roles.contains(&g.1.as_str())).map(|g| g.0).collect();
        p.dedup();
        p
    }

    /// Whether the user may see records of `practice`.
    pub fn sees(&self, practice: i64) -> bool {
        self.grants.iter().any(|g| g.0 == practice)
    }

    /// Whether the user may act on a record of `practice` with one of `roles`: not found when
    /// the practice is not the user's at all (its records do not exist for them), forbidden when
    /// the user sees it without such a role.
    pub fn may(&self, practice: i64, roles: &[&str]) -> Result<(), crate::ApiError> {
        if !self.sees(practice) {
            return Err(crate::ApiError::NotFound);
        }
        if !self.grants.iter().any(|g| g.0 == practice && roles.contains(&g.1.as_str())) {
            return Err(crate::ApiError::Forbidden);
        }
        Ok(())
    }

    /// The audit log's name for the caller.
    pub fn actor(&self) -> store::Actor {
        store::Actor(self.login.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("correct horse", ""));
        assert!(!verify_password("decoy password nobody has", "not a hash"));
    }

    #[test]
    fn totp_matches_rfc_6238() {
        // RFC 6238 appendix B, SHA-1: the secret "12345678901234567890", T = 59 s → 94287082
        // (eight digits; six are its last six).
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let at = UNIX_EPOCH + Duration::from_secs(59);
        assert_eq!(totp(&secret, at).unwrap(), "287082");
        let at = UNIX_EPOCH + Duration::from_secs(1_111_111_109);
        assert_eq!(totp(&secret, at).unwrap(), "081804");
        assert!(totp_matches(&secret, "081804", at + Duration::from_secs(25)));
        assert!(!totp_matches(&secret, "081805", at));
        assert_eq!(base32_decode(&new_totp_secret()).unwrap().len(), 20);
    }

    #[test]
    fn tokens_are_random_and_compare_in_constant_time() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token(&a, &a[..63]));
    }

    #[test]
    fn timestamps_sort_as_text() {
        let t = UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        assert_eq!(timestamp(t), "2026-05-28T20:26:40.000Z");
        assert!(timestamp(t) < timestamp(t + Duration::from_millis(1)));
    }
}
