"""WXBizMsgCrypt: WeCom's callback signature and AES-256-CBC scheme (also DingTalk's event crypto).

Plaintext = random(16) ‖ uint32_BE(len(msg)) ‖ msg ‖ receive_id, PKCS#7-padded to a multiple of 32
(not 16: `cryptography`'s PKCS7(128) would reject pad values above 16, so padding is done by hand).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from channels.base import RandomBytes
from channels.errors import DecryptError, ReceiverMismatchError, SignatureError

BLOCK = 32


def pad(data: bytes, block: int = BLOCK) -> bytes:
    """PKCS#7 to a multiple of `block`; a full block of padding when already aligned."""
    count = block - len(data) % block
    return data + bytes([count]) * count


def unpad(data: bytes, block: int = BLOCK) -> bytes:
    if not data:
        raise DecryptError("empty plaintext")
    count = data[-1]
    if not 1 <= count <= block or count > len(data):
        raise DecryptError(f"bad padding value {count}")
    return data[:-count]


def sha1_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """Lowercase hex SHA-1 of the four strings sorted lexicographically and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode("utf-8")).hexdigest()


class WeComCrypto:
    """Signs, verifies, encrypts and decrypts for one callback (token, EncodingAESKey, receive id)."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str,
                 random_bytes: RandomBytes = os.urandom) -> None:
        try:
            self.key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise ValueError("EncodingAESKey is not base64") from exc
        if len(self.key) != 32:
            raise ValueError("EncodingAESKey must be 43 characters that decode to 32 bytes")
        self.token = token
        self.receive_id = receive_id
        self._random = random_bytes

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        return sha1_signature(self.token, timestamp, nonce, encrypt)

    def verify(self, signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        """Raise SignatureError unless `signature` signs (timestamp, nonce, encrypt)."""
        expected = self.signature(timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
            raise SignatureError("msg_signature does not match")

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def decrypt(self, encrypt: str) -> str:
        """The message inside `encrypt`; raises unless it was addressed to this receive id."""
        try:
            raw = base64.b64decode(encrypt, validate=True)
        except binascii.Error as exc:
            raise DecryptError("Encrypt is not base64") from exc
        if not raw or len(raw) % 16:
            raise DecryptError("ciphertext is not a whole number of AES blocks")
        decryptor = self._cipher().decryptor()
        plain = unpad(decryptor.update(raw) + decryptor.finalize())
        if len(plain) < 20:
            raise DecryptError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise DecryptError("message length exceeds plaintext")
        receive_id = plain[20 + length :].decode("utf-8", errors="replace")
        if not hmac.compare_digest(receive_id.encode(), self.receive_id.encode()):
            raise ReceiverMismatchError(f"message is for receive id {receive_id!r}")
        try:
            return plain[20 : 20 + length].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecryptError("message is not UTF-8") from exc

    def encrypt(self, message: str) -> str:
        """Base64 ciphertext of `message` for this receive id, with 16 fresh random bytes."""
        body = message.encode("utf-8")
        plain = self._random(16) + struct.pack(">I", len(body)) + body + self.receive_id.encode("utf-8")
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(pad(plain)) + encryptor.finalize()).decode("ascii")
