//! Real syslog daemons for tests: rsyslogd and syslog-ng, started
//! unprivileged-style on loopback in a private folder, writing what they
//! parsed as one JSON object per line.

#![allow(dead_code)] // each test binary uses its own subset

use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Daemon {
    child: Child,
    pub dir: PathBuf,
    pub out: PathBuf,
    pub udp: u16,
    /// TCP accepting octet-counted frames (rsyslog: also LF).
    pub tcp_octet: u16,
    /// TCP accepting LF-terminated frames.
    pub tcp_lf: u16,
    pub unix: PathBuf,
    pub name: &'static str,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = std::fs::remove_dir_all(&self.dir);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn private_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sawmill-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn wait_for(path: &Path, what: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !path.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early: {status}");
        }
        assert!(Instant::now() < deadline, "{what} did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// rsyslogd (`rsyslogd -n -C -iNONE -f CONF`): imudp, imtcp (octet counting
/// and LF on one port) and imuxsock on a private socket; an omfile action
/// writes the RFC 5424 properties as JSON.
pub fn rsyslog() -> Daemon {
    let dir = private_dir("rsyslog");
    let out = dir.join("out.json");
    let unix = dir.join("log");
    let udp = free_udp_port();
    let d = dir.display();
    let conf = format!(
        r#"global(workDirectory="{d}" maxMessageSize="2m" parser.escapeControlCharactersOnReceive="off")
module(load="imudp")
module(load="imtcp")
module(load="imuxsock" SysSock.Use="off")
template(name="j" type="list" option.jsonf="on") {{
  property(outname="pri" name="pri" format="jsonf")
  property(outname="version" name="protocol-version" format="jsonf")
  property(outname="timestamp" name="timestamp" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="app_name" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}}
ruleset(name="r") {{ action(type="omfile" file="{out}" template="j") }}
input(type="imudp" address="127.0.0.1" port="{udp}" ruleset="r")
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="{d}/tcpport" ruleset="r")
input(type="imuxsock" Socket="{unix}" ruleset="r" UseSpecialParser="off" ParseHostname="on" IgnoreTimestamp="off")
"#,
        out = out.display(),
        unix = unix.display(),
    );
    std::fs::write(dir.join("rsyslog.conf"), conf).unwrap();
    let mut child = Command::new("rsyslogd")
        .args(["-n", "-C", "-iNONE", "-f"])
        .arg(dir.join("rsyslog.conf"))
        .stdout(Stdio::null())
        .spawn()
        .expect("rsyslogd (scripts/setup.sh installs it)");
    wait_for(&dir.join("tcpport"), "rsyslogd", &mut child);
    wait_for(&unix, "rsyslogd", &mut child);
    let mut tcp = String::new();
    while tcp.trim().is_empty() {
        tcp = std::fs::read_to_string(dir.join("tcpport")).unwrap();
    }
    let tcp: u16 = tcp.trim().parse().unwrap();
    // imudp binds asynchronously; give it a moment.
    std::thread::sleep(Duration::from_millis(300));
    Daemon {
        child,
        dir,
        out,
        udp,
        tcp_octet: tcp,
        tcp_lf: tcp,
        unix,
        name: "rsyslogd",
    }
}

pub fn syslog_ng_root() -> PathBuf {
    std::env::var_os("SAWMILL_SYSLOG_NG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/sawmill/syslog-ng"))
}

/// syslog-ng from the private folder scripts/setup.sh unpacks it into:
/// RFC 5424 over UDP, TCP octet counting (`syslog()`), TCP LF (`network()`)
/// and a Unix datagram socket; `format-json --scope rfc5424 --scope
/// nv-pairs` plus the ISO date and numeric PRI.
pub fn syslog_ng() -> Daemon {
    let root = syslog_ng_root();
    let dir = private_dir("syslog-ng");
    let out = dir.join("out.json");
    let unix = dir.join("log");
    let (udp, tcp_octet, tcp_lf) = (free_udp_port(), free_tcp_port(), free_tcp_port());
    let conf = format!(
        r#"@version: 3.38
options {{ keep-hostname(yes); keep-timestamp(yes); chain-hostnames(no); stats-freq(0); frac-digits(6); log-msg-size(2097152); }};
source s {{
  network(ip("127.0.0.1") port({udp}) transport("udp") flags(syslog-protocol));
  syslog(ip("127.0.0.1") port({tcp_octet}) transport("tcp"));
  network(ip("127.0.0.1") port({tcp_lf}) transport("tcp") flags(syslog-protocol));
  unix-dgram("{unix}" flags(syslog-protocol));
}};
destination d {{ file("{out}" template("$(format-json --scope rfc5424 --scope nv-pairs --pair ISODATE=$ISODATE --pair PRI=$PRI)\n")); }};
log {{ source(s); destination(d); }};
"#,
        unix = unix.display(),
        out = out.display(),
    );
    std::fs::write(dir.join("syslog-ng.conf"), conf).unwrap();
    let lib = root.join("usr/lib/syslog-ng");
    let mut child = Command::new(root.join("usr/sbin/syslog-ng"))
        .arg("-F")
        .arg("-f")
        .arg(dir.join("syslog-ng.conf"))
        .arg(format!("--module-path={}", lib.join("3.38").display()))
        .arg("-R")
        .arg(dir.join("persist"))
        .arg("-p")
        .arg(dir.join("pid"))
        .arg("-c")
        .arg(dir.join("ctl"))
        .env("LD_LIBRARY_PATH", &lib)
        .stdout(Stdio::null())
        .spawn()
        .expect("syslog-ng (scripts/setup.sh unpacks it)");
    wait_for(&unix, "syslog-ng", &mut child);
    wait_for(&dir.join("pid"), "syslog-ng", &mut child);
    std::thread::sleep(Duration::from_millis(300));
    Daemon {
        child,
        dir,
        out,
        udp,
        tcp_octet,
        tcp_lf,
        unix,
        name: "syslog-ng",
    }
}

impl Daemon {
    /// The parsed records once `done` says all expected ones are there.
    pub fn wait_records(
        &self,
        done: impl Fn(&[serde_json::Value]) -> bool,
    ) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let text = std::fs::read_to_string(&self.out).unwrap_or_default();
            let records: Vec<serde_json::Value> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
                .collect();
            if done(&records) {
                return records;
            }
            assert!(
                Instant::now() < deadline,
                "{}: only {} records arrived: {text}",
                self.name,
                records.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
