//! Serving over TLS (rustls) on a real socket: a client that trusts the certificate signs in,
//! the session cookie is marked Secure and HSTS is sent; plain HTTP to the TLS port gets no
//! answer; a certificate that cannot be read is named in the error.

use std::net::SocketAddr;
use std::sync::Arc;

use server::{AppState, Policy, TlsFiles};
use store::Actor;
use test_support::TestDb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

async fn https(addr: SocketAddr, cert: &rcgen::Certificate, request: &str) -> String {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der().clone()).unwrap();
    let config =
        rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_over_tls_with_secure_cookies() {
    let db = TestDb::sqlite().await;
    let s = db.store().await;
    let org = s.default_organization().await.unwrap();
    let hash = server::auth::hash_password("a long enough phrase").unwrap();
    s.add_user(&Actor::system("test"), org, "tls-user", "TLS User", &hash, &[]).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.key_pair.serialize_pem()).unwrap();

    let policy = Policy { secure_cookies: true, ..Default::default() };
    let state = AppState::new(s.clone(), None, policy);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let tls = TlsFiles { cert: cert.clone(), key: key.clone() };
    tokio::spawn(server::serve(state.clone(), "127.0.0.1:0".parse().unwrap(), Some(tls), |a| {
        let _ = tx.send(a);
    }));
    let addr = rx.await.unwrap();

    let body = r#"{"username":"tls-user","password":"a long enough phrase"}"#;
    let answer = https(
        addr,
        &certified.cert,
        &format!(
            "POST /api/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(lower.contains("strict-transport-security: max-age=31536000"), "{answer}");
    let session = lower.lines().find(|l| l.starts_with("set-cookie: sb_session=")).unwrap();
    assert!(session.contains("; secure") && session.contains("httponly"), "{session}");

    // Plain HTTP to the TLS port: no HTTP answer.
    let mut plain = TcpStream::connect(addr).await.unwrap();
    plain.write_all(b"GET /api/me HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut out = Vec::new();
    let _ =
        tokio::time::timeout(std::time::Duration::from_secs(5), plain.read_to_end(&mut out)).await;
    assert!(!String::from_utf8_lossy(&out).starts_with("HTTP/1.1 "), "{out:?}");

    // A key file that is not there is named.
    let missing = TlsFiles { cert, key: dir.path().join("nope.pem") };
    let e = server::serve(state, "127.0.0.1:0".parse().unwrap(), Some(missing), |_| {})
        .await
        .unwrap_err();
    assert!(e.to_string().contains("nope.pem"), "{e}");
    db.finish().await;
}
