//! The annotated example configuration stays valid.

#[test]
fn the_example_configuration_loads() {
    let text = include_str!("../../../callout-console.example.toml");
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("ccc");
    std::fs::write(&secret, "x").unwrap();
    // Its secrets come from the environment and a file; point them at test values.
    let env = vec![
        ("CALLOUT__TENCENT_MEETING__0__SECRET_KEY_ENV".to_owned(), "\"PATH\"".to_owned()),
        ("CALLOUT__TENCENT_MEETING__0__WEBHOOK_TOKEN_ENV".to_owned(), "\"PATH\"".to_owned()),
        ("CALLOUT__TENCENT_MEETING__0__WEBHOOK_AES_KEY_ENV".to_owned(), "\"HOME\"".to_owned()),
        ("CALLOUT__ALIYUN_CCC__0__ACCESS_KEY_SECRET_FILE".to_owned(), format!("{:?}", secret.display().to_string())),
    ];
    let settings = callout_console::config::Settings::from_toml(text, env).expect("the example is valid");
    assert!(!settings.is_sandbox());
    assert_eq!(settings.tencent_meeting[0].callout_batch_cap, 50);
    assert_eq!(settings.tencent_meeting[0].calling_window.as_ref().map(|w| w.time_zone.as_str()), Some("Asia/Shanghai"));
}
