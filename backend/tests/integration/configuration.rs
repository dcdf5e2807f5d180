//! Start-up validation: every bad configuration stops the start with the key that is wrong.

use callout_console::config::Settings;

fn key_of(toml: &str, env: &[(&str, &str)]) -> String {
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Settings::from_toml(toml, env).expect_err("configuration must be refused").key
}

#[test]
fn no_configuration_is_sandbox_mode_with_dev_sign_in() {
    let settings = Settings::from_toml("", Vec::new()).unwrap();
    assert!(settings.is_sandbox());
    assert_eq!(settings.server.bind.to_string(), "127.0.0.1:8080");
}

#[test]
fn errors_name_the_key_at_fault() {
    assert_eq!(key_of("[server]\nbind = \"nonsense\"", &[]), "server.bind");
    assert_eq!(key_of("[server]\nport = 80", &[]), "server.port", "unknown keys are named");
    assert_eq!(key_of("[auth]\nmode = \"magic\"", &[]), "auth.mode");
    assert_eq!(key_of("[server]\nbind = \"0.0.0.0:8080\"", &[]), "server.bind", "dev mode is loopback only");
    assert_eq!(key_of("[auth]\nmode = \"jwt\"", &[]), "auth.jwt");
    assert_eq!(
        key_of(
            "[auth]\nmode = \"jwt\"\n[auth.jwt]\npreset = \"pomerium\"\njwks_url = \"https://x/jwks\"\nissuer = \"\"\naudience = \"a\"",
            &[]
        ),
        "auth.jwt.issuer"
    );
    let tencent = "[[tencent_meeting]]\nid = \"hq\"\nname = \"HQ\"\napp_id = \"1\"\nsecret_id = \"sid\"\n";
    assert_eq!(key_of(tencent, &[]), "tencent_meeting[0].secret_key_env");
    assert_eq!(
        key_of(&format!("{tencent}secret_key_env = \"CALLOUT_TEST_SURELY_UNSET_VARIABLE\"\n"), &[]),
        "tencent_meeting[0].secret_key_env"
    );
    assert_eq!(key_of(&format!("{tencent}callout_batch_cap = \"many\"\n"), &[]), "tencent_meeting[0].callout_batch_cap");
    assert_eq!(
        key_of("[[aliyun_ccc]]\nid = \"sh\"\nname = \"SH\"\nregion_id = \"cn-shanghai\"\naccess_key_id = \"\"\naccess_key_secret_env = \"PATH\"\n", &[]),
        "aliyun_ccc[0].access_key_id"
    );
    assert_eq!(key_of("[dialex_outcomes]\nwait_minutes = 0", &[]), "dialex_outcomes.wait_minutes");
    assert_eq!(key_of("[dialex_outcomes]\nmatch_before_secs = 7200", &[]), "dialex_outcomes.match_before_secs");
    assert_eq!(
        key_of("[dialex_outcomes]\nwait_minutes = 5", &[]),
        "dialex_outcomes.match_after_secs",
        "a call is not given up on while its record may still come"
    );
}

#[test]
fn environment_overrides_apply_and_are_validated() {
    let settings = Settings::from_toml("", vec![("CALLOUT__SERVER__BIND".into(), "\"127.0.0.1:9999\"".into())]).unwrap();
    assert_eq!(settings.server.bind.port(), 9999);
    let settings = Settings::from_toml("", vec![("CALLOUT__HTTP__TOTAL_TIMEOUT_MS".into(), "2500".into())]).unwrap();
    assert_eq!(settings.http.total_timeout_ms, 2500);
    assert_eq!(key_of("", &[("CALLOUT__HTTP__TOTAL_TIMEOUT_MS", "soon")]), "http.total_timeout_ms");
}

#[test]
fn secrets_come_from_files_and_never_show_in_debug_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key");
    std::fs::write(&file, "s3cr3t-value\n").unwrap();
    let toml = format!(
        "[auth.dev]\nallow_live_accounts = true\n[[tencent_meeting]]\nid = \"hq\"\nname = \"HQ\"\napp_id = \"1\"\nsecret_id = \"sid\"\nsecret_key_file = {:?}\n",
        file.display().to_string()
    );
    let settings = Settings::from_toml(&toml, Vec::new()).unwrap();
    assert!(!settings.is_sandbox());
    let secret =
        callout_console::config::read_secret(&settings.tencent_meeting[0].secret_key_env, &settings.tencent_meeting[0].secret_key_file)
            .unwrap();
    assert_eq!(secret.expose(), "s3cr3t-value");
    assert!(!format!("{settings:?}{secret:?}").contains("s3cr3t-value"));
}

#[test]
fn dev_sign_in_with_live_accounts_needs_an_explicit_yes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), "s").unwrap();
    let live = format!(
        "[[tencent_meeting]]\nid = \"hq\"\nname = \"HQ\"\napp_id = \"1\"\nsecret_id = \"sid\"\nsecret_key_file = {:?}\n",
        dir.path().join("secret").display().to_string()
    );
    assert_eq!(key_of(&live, &[]), "auth.dev.allow_live_accounts");
    let allowed = Settings::from_toml(&format!("{live}[auth.dev]\nallow_live_accounts = true\n"), Vec::new());
    assert!(allowed.is_ok(), "{allowed:?}");
}
