"""Proves the Alibaba CCC emulator accepts what the official SDK sends, and refuses a tampered request.

Runs `alibabacloud-ccc20170705`'s own `dial_ex` (HMAC-SHA1) against the emulator over plain HTTP in every
answer mode and the SDK's generic `call_api` (ACS3-HMAC-SHA256, "V3"), each also with a wrong secret. Then
it signs requests with the SDK's own signing utils, changes a parameter or the body after signing, and
expects `SignatureDoesNotMatch` (for HMAC-SHA1 with the server's string to sign echoed and checked).
Exits non-zero on any failure.

    python interop/aliyun_sdk.py --endpoint 127.0.0.1:PORT --access-key-id ID --access-key-secret SECRET \
        --instance-id ID --caller NUMBER --ivr FLOW --agent RAM@DOMAIN --skill-group GROUP
"""

import argparse
import hashlib
import os
import sys
import types
import urllib.parse

# The SDK honours proxy variables even for loopback addresses.
for _name in list(os.environ):
    if _name.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        del os.environ[_name]

import requests  # noqa: E402
from alibabacloud_ccc20170705 import models as ccc_models  # noqa: E402
from alibabacloud_ccc20170705.client import Client  # noqa: E402
from alibabacloud_tea_openapi import models as open_api_models  # noqa: E402
from alibabacloud_tea_openapi import utils_models  # noqa: E402
from alibabacloud_tea_openapi.exceptions import ClientException  # noqa: E402
from alibabacloud_tea_openapi.utils import Utils  # noqa: E402
from darabonba.runtime import RuntimeOptions  # noqa: E402


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"ok: {what}")


def sdk_client(args, secret):
    config = open_api_models.Config(
        access_key_id=args.access_key_id,
        access_key_secret=secret,
        endpoint=args.endpoint,
        protocol="http",
    )
    return Client(config)


def dial_with_the_sdk(args):
    client = sdk_client(args, args.access_key_secret)
    # A `+` and a space in the callee exercise the SDK's form encoding against the emulator's decoding.
    for mode, rout_point, callee in ((0, args.ivr, "15700001000"), (1, args.agent, "+86 157 0000 1001"), (2, args.skill_group, "15700001002")):
        request = ccc_models.DialExRequest(
            instance_id=args.instance_id, caller=args.caller, callee=callee, answer_mode=mode, rout_point=rout_point
        )
        response = client.dial_ex(request)
        body = response.body
        check(bool(body.task_id) and body.success is True and body.code == "OK", f"SDK dial_ex in answer mode {mode} returns TaskId {body.task_id}")
        # Alibaba's gateway repeats the body's RequestId in this header, and the SDK reads it.
        header = {k.lower(): v for k, v in (response.headers or {}).items()}.get("x-acs-request-id")
        check(header is not None and header == body.request_id, f"x-acs-request-id {header} equals the body's RequestId {body.request_id}")


def wrong_secret_is_refused(args):
    try:
        sdk_client(args, args.access_key_secret + "x").dial_ex(
            ccc_models.DialExRequest(instance_id=args.instance_id, caller=args.caller, callee="15700001003", answer_mode=0, rout_point=args.ivr)
        )
    except ClientException as err:
        check(err.code == "SignatureDoesNotMatch" and err.status_code == 400, f"SDK with a wrong secret gets {err.code} (HTTP {err.status_code})")
        return
    raise AssertionError("a wrong secret was accepted")


def call_api_v3(client, args, callee):
    """The SDK's generic `call_api`, which signs with ACS3-HMAC-SHA256 (V3) by default; DialEx params in a form body."""
    params = utils_models.Params(
        action="DialEx", version="2017-07-05", protocol="HTTP", pathname="/", method="POST",
        auth_type="AK", style="RPC", req_body_type="formData", body_type="json",
    )
    body = {"InstanceId": args.instance_id, "Caller": args.caller, "Callee": callee, "AnswerMode": "2", "RoutPoint": args.skill_group}
    return client.call_api(params, utils_models.OpenApiRequest(body=body), RuntimeOptions())


def v3_signed_calls(args):
    answer = call_api_v3(sdk_client(args, args.access_key_secret), args, "15700001005")
    check(answer["statusCode"] == 200 and bool(answer["body"].get("TaskId")), f"SDK call_api (V3 signature) returns TaskId {answer['body'].get('TaskId')}")
    try:
        call_api_v3(sdk_client(args, args.access_key_secret + "x"), args, "15700001006")
    except ClientException as err:
        check(err.code == "SignatureDoesNotMatch", f"SDK call_api (V3) with a wrong secret gets {err.code}")
        return
    raise AssertionError("a V3 request with a wrong secret was accepted")


def v3_tampered_body_is_refused(args):
    """Signs a V3 request with the SDK's own `get_authorization`, then sends another body under the same signature."""
    form = f"InstanceId={args.instance_id}&Caller={args.caller}&Callee=15700001007&AnswerMode=2&RoutPoint={args.skill_group}"
    headers = {
        "host": args.endpoint,
        "x-acs-version": "2017-07-05",
        "x-acs-action": "DialEx",
        "x-acs-date": Utils.get_timestamp(),
        "x-acs-signature-nonce": Utils.get_nonce(),
        "content-type": "application/x-www-form-urlencoded",
        "x-acs-content-sha256": hashlib.sha256(form.encode()).hexdigest(),
    }
    signed = types.SimpleNamespace(method="POST", pathname="/", query={}, headers=headers)
    authorization = Utils.get_authorization(signed, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], args.access_key_id, args.access_key_secret)
    tampered = form.replace("15700001007", "15700009998")
    response = requests.post(f"http://{args.endpoint}/", data=tampered, headers={**headers, "authorization": authorization}, timeout=10)
    check(response.status_code == 400 and response.json().get("Code") == "SignatureDoesNotMatch", "a V3 request with a changed body gets SignatureDoesNotMatch")
    # The same signature over the original body passes: only the change was refused (a refused request burns no nonce).
    response = requests.post(f"http://{args.endpoint}/", data=form, headers={**headers, "authorization": authorization}, timeout=10)
    check(response.status_code == 200 and bool(response.json().get("TaskId")), "the same V3 signature over the original body is accepted")


def tampered_request_is_refused(args):
    query = {
        "Action": "DialEx",
        "Format": "json",
        "Version": "2017-07-05",
        "Timestamp": Utils.get_timestamp(),
        "SignatureNonce": Utils.get_nonce(),
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "AccessKeyId": args.access_key_id,
    }
    body = {"InstanceId": args.instance_id, "Caller": args.caller, "Callee": "15700001004", "AnswerMode": "2", "RoutPoint": args.skill_group}
    query["Signature"] = Utils.get_rpcsignature({**query, **body}, "POST", args.access_key_secret)
    body["Callee"] = "15700009999"  # changed after signing

    response = requests.post(
        f"http://{args.endpoint}/?{urllib.parse.urlencode(query, quote_via=urllib.parse.quote)}",
        data=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    error = response.json()
    check(response.status_code == 400 and error.get("Code") == "SignatureDoesNotMatch", "a tampered request gets SignatureDoesNotMatch")
    check(sorted(error) == ["Code", "HostId", "Message", "Recommend", "RequestId"], "the error body has the gateway's five keys")

    # The echoed string to sign is what the SDK's own canonicalisation gives for the tampered parameters.
    echoed = error["Message"].split("server string to sign is:", 1)[1]
    sorted_params = sorted({k: v for k, v in {**query, **body}.items() if k != "Signature"}.items())
    canonical = "&".join(f"{urllib.parse.quote(k, safe='~')}={urllib.parse.quote(v, safe='~')}" for k, v in sorted_params)
    expected = "POST&%2F&" + urllib.parse.quote(canonical, safe="~")
    check(echoed == expected, "the server's string to sign matches the tampered parameters")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="host:port of the emulator")
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--access-key-secret", required=True)
    parser.add_argument("--instance-id", required=True)
    parser.add_argument("--caller", required=True)
    parser.add_argument("--ivr", required=True, help="contact-flow id (answer mode 0)")
    parser.add_argument("--agent", required=True, help="ram_id@domain (answer mode 1)")
    parser.add_argument("--skill-group", required=True, help="skill-group id (answer mode 2)")
    args = parser.parse_args()
    try:
        dial_with_the_sdk(args)
        wrong_secret_is_refused(args)
        v3_signed_calls(args)
        v3_tampered_body_is_refused(args)
        tampered_request_is_refused(args)
    except Exception as err:  # any failure, including SDK exceptions, fails the run
        print(f"FAILED: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
