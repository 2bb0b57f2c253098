"""WXBizMsgCrypt against the official WeCom and DingTalk vectors (MESSAGING.md appendix)."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from channels.errors import DecryptError, ReceiverMismatchError, SignatureError
from channels.im.wecom_crypto import WeComCrypto, pad, unpad

TOKEN, AES_KEY, CORP_ID = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
ECHOSTR = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
MSG_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3"
    "TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gs"
    "ijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUa"
    "x5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIG"
    "HBZZIs2pDBS8R07+qN+E7Q=="
)
DING_ENCRYPT = (
    "0vJiX6vliEpwG3U45CtXqi+m8PXbQRARJ8p8BbDuD1EMTDf0jKpQ79QS93qEk7XHpP6u+oTTrd15NRPvNvmBKyDCYxxOK+HZeKju4yhELOFchz"
    "NukR+t8SB/qk4ROMu3"
)


@pytest.fixture
def crypto() -> WeComCrypto:
    return WeComCrypto(TOKEN, AES_KEY, CORP_ID, random_bytes=lambda n: b"R" * n)


def test_url_check_vector_signature_and_plaintext(crypto: WeComCrypto) -> None:
    assert crypto.signature("1409659589", "263014780", ECHOSTR) == "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
    crypto.verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", ECHOSTR)
    assert crypto.decrypt(ECHOSTR) == "1616140317555161061"


def test_message_vector_signature_and_content(crypto: WeComCrypto) -> None:
    assert crypto.signature("1409659813", "1372623149", MSG_ENCRYPT) == "477715d11cdb4164915debcba66cb864d751f3e6"
    xml = crypto.decrypt(MSG_ENCRYPT)
    assert "<FromUserName><![CDATA[mycreate]]></FromUserName>" in xml
    assert "<Content><![CDATA[hello]]></Content>" in xml
    assert "<MsgId>4561255354251345929</MsgId>" in xml
    assert "<AgentID>218</AgentID>" in xml


def test_dingtalk_event_crypto_vector() -> None:
    ding = WeComCrypto("mryue", "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7", "ding6ccabc44d2c8d38b")
    assert ding.signature("1608001896814", "WL4PK6yA", DING_ENCRYPT) == "03044561471240d4a14bb09372dfcfd4fd0e40cb"
    assert ding.decrypt(DING_ENCRYPT) == '{"EventType":"check_url"}'


def test_wrong_signature_is_rejected(crypto: WeComCrypto) -> None:
    with pytest.raises(SignatureError):
        crypto.verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4", "1409659589", "263014780", ECHOSTR)
    with pytest.raises(SignatureError):
        crypto.verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659590", "263014780", ECHOSTR)


def test_wrong_receive_id_is_rejected() -> None:
    other = WeComCrypto(TOKEN, AES_KEY, "wx0000000000000000")
    with pytest.raises(ReceiverMismatchError):
        other.decrypt(MSG_ENCRYPT)


def test_padding_is_to_32_bytes_with_a_full_block_when_aligned() -> None:
    assert pad(b"x" * 32) == b"x" * 32 + bytes([32]) * 32
    assert pad(b"x" * 31) == b"x" * 31 + b"\x01"
    assert unpad(pad(b"abc")) == b"abc"
    for bad in (b"x" * 31 + b"\x00", b"x" * 31 + bytes([33])):
        with pytest.raises(DecryptError):
            unpad(bad)


def test_round_trip_when_plaintext_is_a_multiple_of_32(crypto: WeComCrypto) -> None:
    message = "m" * (64 - 16 - 4 - len(CORP_ID))  # random ‖ length ‖ message ‖ corp id = 64 bytes exactly
    encrypted = crypto.encrypt(message)
    assert len(base64.b64decode(encrypted)) == 96  # a full 32-byte block of padding was added
    assert crypto.decrypt(encrypted) == message


def test_round_trip_chinese_and_fixed_random(crypto: WeComCrypto) -> None:
    encrypted = crypto.encrypt("你好，世界")
    assert encrypted == crypto.encrypt("你好，世界")  # random source injected
    assert crypto.decrypt(encrypted) == "你好，世界"


def test_pad_value_above_32_is_rejected(crypto: WeComCrypto) -> None:
    key = crypto.key
    plain = b"R" * 16 + b"\x00\x00\x00\x02hi" + CORP_ID.encode() + bytes([40]) * 24  # 64 bytes, pad value 40
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    forged = base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
    with pytest.raises(DecryptError):
        crypto.decrypt(forged)


def test_garbage_is_a_decrypt_error(crypto: WeComCrypto) -> None:
    for bad in ("not base64!", base64.b64encode(b"short").decode()):
        with pytest.raises(DecryptError):
            crypto.decrypt(bad)
