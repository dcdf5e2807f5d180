//! The signature debugger reproduces the official vectors from the command line.

use std::process::Command;

fn sign(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_callout-console")).arg("sign").args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn aliyun_official_vector_a() {
    let (ok, out) = sign(&[
        "aliyun", "--method", "GET", "--secret", "testsecret",
        "--param", "AccessKeyId=testid", "--param", "Action=DescribeRegions", "--param", "Format=XML",
        "--param", "SignatureMethod=HMAC-SHA1", "--param", "SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "--param", "SignatureVersion=1.0", "--param", "Timestamp=2016-02-23T12:46:24Z", "--param", "Version=2014-05-26",
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
