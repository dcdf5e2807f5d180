"""Proves that the Tencent Meeting emulator accepts requests made by the official Python SDK
(wemeet-openapi-sdk-python) and rejects a request whose body was changed after signing.

Run with the project's Python (scripts/setup.sh installs it):
    .tools/py/bin/python interop/tencent_sdk.py --base-url http://127.0.0.1:PORT \
        --app-id ... --secret-id ... --secret-key ... --meeting-id ... --operator-id ...
Exits non-zero on any failure.
"""

import argparse
import json
import os
import sys
import urllib.parse

# The SDK (requests) honours proxy variables even for loopback addresses.
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_name, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

import requests  # noqa: E402
import wemeet_openapi  # noqa: E402
from wemeet_openapi.core import DEFAULT_AUTHENTICATOR, JSON_SERIALIZER, xhttp  # noqa: E402
from wemeet_openapi.core.authenticator import JWTAuthenticator  # noqa: E402
from wemeet_openapi.core.config import Config  # noqa: E402
from wemeet_openapi.core.exception import ServiceException  # noqa: E402
from wemeet_openapi.core.xhttp import ApiRequest, Authenticator  # noqa: E402
from wemeet_openapi.service.meeting_room import (  # noqa: E402
    ApiV1MeetingRoomsRoomCallPutRequest,
    V1MeetingRoomsRoomCallPutRequest,
)
from wemeet_openapi.service.pstn import (  # noqa: E402
    ApiV1MeetingMeetingIdPhoneCalloutPostRequest,
    PstnApi,
    V1MeetingMeetingIdPhoneCalloutPostRequest,
    V1MeetingMeetingIdPhoneCalloutPostRequestPhoneNumbersInner,
)

PHONE = "13800138001"
TAMPERED_PHONE = "13800138009"


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"ok: {message}")


def fresh_auth():
    """One authenticator per request: it remembers nonce, timestamp and signature once used."""
    return JWTAuthenticator().options_build()


class BodyTamperer(Authenticator):
    """Runs after signing and swaps the phone number in the body (same length, so Content-Length stays)."""

    def auth_header(self, http_req):
        http_req.body = http_req.body.replace(PHONE.encode(), TAMPERED_PHONE.encode())


def callout_request(meeting_id, operator_id):
    number = V1MeetingMeetingIdPhoneCalloutPostRequestPhoneNumbersInner(area=86, phone=PHONE, nick_name="SDK interop")
    body = V1MeetingMeetingIdPhoneCalloutPostRequest(operator_id=operator_id, operator_id_type=1, phone_numbers=[number])
    return ApiV1MeetingMeetingIdPhoneCalloutPostRequest(meeting_id=meeting_id, body=body)


def low_level(config, method, uri, meeting_id, query=None, body=None):
    """The SDK's own request machinery for operations it has no method for."""
    request = ApiRequest(
        api_uri=uri,
        body=body,
        serializer=JSON_SERIALIZER,
        authenticators=[fresh_auth()(config), DEFAULT_AUTHENTICATOR],
    )
    request.path_params["meeting_id"] = meeting_id
    request.query_params = query or []
    response = getattr(config.clt, method)(request)
    return response.status_code, json.loads(response.raw_body.decode("utf-8") or "null")


def main():
    parser = argparse.ArgumentParser()
    for name in ("base-url", "app-id", "secret-id", "secret-key", "meeting-id", "operator-id"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--sdk-id", default="")
    parser.add_argument("--meeting-room-id", default="2360000010")
    args = parser.parse_args()

    host = urllib.parse.urlparse(args.base_url).netloc
    http = xhttp.Client(host=host, protocol="http", session=requests.Session(), serializer=JSON_SERIALIZER)
    # The SDK puts SdkId on every request (None when unset, which requests cannot send): "" means not assigned.
    credentials = dict(app_id=args.app_id, sdk_id=args.sdk_id, secret_id=args.secret_id, secret_key=args.secret_key)
    client = wemeet_openapi.Client(clt=http, **credentials)
    # Client does not register the PSTN service in 1.0.10; build it on the same settings.
    config = Config(clt=http, **credentials)
    pstn = PstnApi(config)

    response = pstn.v1_meeting_meeting_id_phone_callout_post(
        callout_request(args.meeting_id, args.operator_id), authenticator_options=[fresh_auth()]
    )
    check(response.status_code == 200, "SDK callout accepted")
    accepted = [n.phone for n in (response.data.phone_numbers or [])]
    check(accepted == [PHONE], f"the emulator dials the SDK's number ({accepted})")

    query = [("operator_id", args.operator_id), ("operator_id_type", "1"), ("page", "1"), ("page_size", "20")]
    status, page = low_level(config, "get", "/v1/meeting/{meeting_id}/phone/callout", args.meeting_id, query=query)
    check(status == 200, f"signed GET callout list accepted ({status} {page})")
    check(any(item["phone"] == PHONE for item in page["phone_numbers"]), "the callout appears in the list")

    body = {"operator_id": args.operator_id, "operator_id_type": 1, "phone_numbers": [{"area": 86, "phone": PHONE}]}
    status, ids = low_level(config, "post", "/v1/meetings/{meeting_id}/phone/ms-open-id", args.meeting_id, body=body)
    check(status == 200 and "ms_open_id_list" in ids, f"signed ms-open-id lookup accepted ({status} {ids})")

    # The SDK types room-call meeting_id as an integer; the emulator accepts it as the docs' table says.
    room = V1MeetingRoomsRoomCallPutRequest(
        meeting_id=int(args.meeting_id), meeting_room_id=args.meeting_room_id, operator_id=args.operator_id, operator_id_type=1
    )
    response = client.meeting_room_api.v1_meeting_rooms_room_call_put(
        ApiV1MeetingRoomsRoomCallPutRequest(body=room), authenticator_options=[fresh_auth()]
    )
    check(response.status_code == 200 and response.data.invite_id, "SDK room call accepted")

    try:
        pstn.v1_meeting_meeting_id_phone_callout_post(
            callout_request(args.meeting_id, args.operator_id),
            authenticator_options=[fresh_auth(), lambda _config: BodyTamperer()],
        )
        check(False, "a body changed after signing must be rejected")
    except ServiceException as error:
        code = error.error_info.error_code if error.error_info else None
        check(code == 200003, f"tampered request rejected with 200003 (HTTP {error.api_resp.status_code}, code {code})")

    dials = requests.get(f"{args.base_url}/__emulator/dials", timeout=5).json()
    check(f"+86{TAMPERED_PHONE}" not in dials, "the tampered number was never dialled")
    check(dials.get(f"+86{PHONE}") == 1, "the SDK's number was dialled exactly once")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # any failure, including the SDK's own exceptions
        print(f"FAILED: {error!r}", file=sys.stderr)
        sys.exit(1)
    print("Tencent Meeting SDK interop: all checks passed")
