//! The signature debugger reproduces the official vectors from the command line.

use std::process::Command;

fn sign(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_callout-console")).arg("sign").args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn aliyun_official_vector_a() {
    let (ok, out) = sign(&[
        "aliyun",
        "--method",
        "GET",
        "--secret",
        "testsecret",
        "--param",
        "AccessKeyId=testid",
        "--param",
        "Action=DescribeRegions",
        "--param",
        "Format=XML",
        "--param",
        "SignatureMethod=HMAC-SHA1",
        "--param",
        "SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "--param",
        "SignatureVersion=1.0",
        "--param",
        "Timestamp=2016-02-23T12:46:24Z",
        "--param",
        "Version=2014-05-26",
    ]);
    assert!(ok);
    assert_eq!(
        out,
        "string_to_sign: GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26\nsignature: OLeaidS1JvxuMvnyHOwuJ+uX5qY=\n"
    );
}

#[test]
fn aliyun_signs_exactly_the_given_parameters_including_empty_and_spaced_values() {
    let (ok, out) = sign(&["aliyun", "--method", "POST", "--secret", "secret", "--param", "query=test", "--param", "body=test"]);
    assert!(ok);
    assert!(out.starts_with("string_to_sign: POST&%2F&body%3Dtest%26query%3Dtest\n"), "{out}");
    assert!(out.ends_with("signature: F5J4ppaU6HYi+6ADuF1F9bwbXD8=\n"), "{out}");
    let (_, out) = sign(&["aliyun", "--method", "GET", "--secret", "s", "--param", "A=", "--param", "B=x y*~阿"]);
    assert!(out.starts_with("string_to_sign: GET&%2F&A%3D%26B%3Dx%2520y%252A~%25E9%2598%25BF\n"), "{out}");
}

#[test]
fn a_parameter_without_equals_is_an_error() {
    let (ok, _) = sign(&["aliyun", "--method", "GET", "--secret", "s", "--param", "Broken"]);
    assert!(!ok);
}

#[test]
fn tencent_documented_vectors() {
    let (ok, out) = sign(&[
        "tencent",
        "--method",
        "POST",
        "--secret-id",
        "test-secret-id",
        "--secret-key",
        "test-secret-key",
        "--nonce",
        "88080",
        "--timestamp",
        "1572168600",
        "--uri",
        "/v1/meetings/7567454748865986567/cancel",
        "--body",
        r#"{"userid":"test1","instanceid":1,"reason_code":1,"reason_detail":"取消会议"}"#,
    ]);
    assert!(ok);
    assert!(
        out.ends_with("signature: MWZhMjQzMDI4NjNhODBhZWQyNDUyY2ZmMDFkMWY4ZTFjMjYwMzE3MTlhMDljODYxMTExZTY4NmM4Y2I2NjE0YQ==\n"),
        "{out}"
    );
    assert!(
        out.starts_with("string_to_sign: POST\\nX-TC-Key=test-secret-id&X-TC-Nonce=88080&X-TC-Timestamp=1572168600\\n/v1/meetings/"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2);
    assert!(out.contains(r#""reason_detail":"取消会议"}"#), "UTF-8 is shown as is: {out}");

    let (_, out) = sign(&[
        "tencent",
        "--method",
        "GET",
        "--secret-id",
        "test-secret-id",
        "--secret-key",
        "test-secret-key",
        "--nonce",
        "1700000000000123456",
        "--timestamp",
        "1700000000",
        "--uri",
        "/v1/meeting/6058890385480921052/phone/callout?operator_id=user1&operator_id_type=1&page=1&page_size=20",
    ]);
    assert!(
        out.ends_with("signature: OWIwMmE5ZWE2ZGFiYTI0ODI5ZDZjNWQzNTIxMWM1ODVkOTQzNDhkNzA4NTQ4YTM3MjNlNTNjZDU3NWUyMjk5Yw==\n"),
        "{out}"
    );
    assert!(out.contains("page_size=20\\n\nsignature"), "a GET's string ends with the separator: {out}");

    let (_, out) = sign(&[
        "tencent",
        "--method",
        "POST",
        "--secret-id",
        "test-secret-id",
        "--secret-key",
        "test-secret-key",
        "--nonce",
        "1700000000000123456",
        "--timestamp",
        "1700000000",
        "--uri",
        "/v1/meeting/6058890385480921052/phone/callout",
        "--body",
        r#"{"operator_id":"user1","operator_id_type":1,"phone_numbers":[{"area":86,"phone":"13800138000"}]}"#,
    ]);
    assert!(
        out.ends_with("signature: YzZmMGQxZDgyMjA2OGQ1N2EyOWUxYzI4YWQzN2Y0YmNlYTk2YzQxMDAwMTI1NDRmN2IyOGU3MTFjOTc5Yjk0OA==\n"),
        "{out}"
    );
}
