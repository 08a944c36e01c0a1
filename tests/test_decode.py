"""textfix.decode: BOMs, UTF-8, UTF-16/32 without BOM, legacy CJK detection, regions, binary."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

import textfix
from textfix.decode import BinaryInputError, DecodeError, decode

FIXTURES = Path(__file__).parent / "fixtures"

# Short, everyday strings: the case where charset-normalizer and chardet stumble.
SHORT = {
    "gbk": ["中文测试", "北京大学", "我们", "人民日报", "数据清洗", "简体中文", "网络文本", "错误信息", "文件名称", "下载地址"],
    "big5": ["繁體中文", "臺灣", "資料處理", "香港新聞", "網路文章", "電腦軟體", "國立大學", "檔案名稱", "錯誤訊息", "歷史紀錄"],
    "shift_jis": ["日本語です", "こんにちは", "東京都", "ファイル名", "設定を保存", "ありがとう", "文字化け", "読み込み", "新しい", "エラー"],
    "euc_kr": ["안녕하세요", "한국어", "대한민국", "파일 이름", "서울특별시", "감사합니다", "데이터", "오류 메시지", "사용자", "설정"],
}


@pytest.mark.parametrize("encoding", sorted(SHORT))
def test_short_cjk_strings_decode_to_the_original(encoding):
    for text in SHORT[encoding]:
        decoded = decode(text.encode(encoding))
        assert decoded.text == text, (encoding, text, decoded)


def test_public_api_is_the_function():
    assert textfix.decode("中文".encode("gbk")).text == "中文"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("00*_*.txt")))
def test_seed_pages_in_legacy_encodings_are_lossless(name):
    text = (FIXTURES / name).read_text("utf-8")
    for encoding in ("gbk", "gb18030", "big5"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        assert decode(data).text == text


@pytest.mark.parametrize(
    "bom,encoding,name",
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    ],
)
def test_bom_decides(bom, encoding, name):
    text = "BOM 文字 テスト\n"
    decoded = decode(bom + text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, name)


def test_invalid_bytes_after_a_bom_are_an_error():
    with pytest.raises(DecodeError, match="byte order mark"):
        decode(codecs.BOM_UTF8 + b"ok \xff\xfe\xfd")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding):
    text = "Hello, 世界! A line of mostly ASCII text.\n"
    decoded = decode(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_empty_input():
    assert decode(b"") == textfix.decode(b"")
    assert decode(b"").text == ""


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)),
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
        bytes([0, 1, 2, 3, 0xC3, 0x28, 0, 0, 0xFF] * 50),
        b"text\x00with a NUL in it, odd length",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_is_refused(data):
    with pytest.raises(BinaryInputError):
        decode(data)


def test_mixed_encoding_file_is_decoded_region_by_region():
    lines = ["第一行是 UTF-8 编码\n", "第二行是 GBK 编码的中文\n", "第三行又是 GBK 编码\n", "ASCII line\n", "最后一行 UTF-8\n"]
    encodings = ["utf-8", "gbk", "gbk", "utf-8", "utf-8"]
    data = b"".join(line.encode(enc) for line, enc in zip(lines, encodings))
    decoded = decode(data)
    assert decoded.text == "".join(lines)
    assert decoded.encoding == "mixed"
    assert [r.encoding for r in decoded.regions] == ["utf-8", "gbk", "utf-8"]
    assert decoded.regions[0].start == 0 and decoded.regions[-1].end == len(data)
    assert all(a.end == b.start for a, b in zip(decoded.regions, decoded.regions[1:]))


def test_a_stray_byte_in_a_utf8_file_is_replaced_and_counted_not_mojibake():
    data = "第一行中文内容\n".encode() + "第二行有一个坏字节".encode() + b"\xe9" + " 后面还有中文\n".encode()
    decoded = decode(data)
    assert decoded.text == "第一行中文内容\n第二行有一个坏字节\ufffd 后面还有中文\n"
    assert (decoded.encoding, decoded.replaced) == ("utf-8", 1)


def test_a_latin1_line_in_a_utf8_file():
    data = "中文内容\n".encode() + "café au lait\n".encode("latin-1") + "结尾\n".encode()
    decoded = decode(data)
    assert decoded.text == "中文内容\ncafé au lait\n结尾\n" and decoded.replaced == 0
    assert [r.encoding for r in decoded.regions] == ["utf-8", "cp1252", "utf-8"]


def test_truncated_multibyte_sequence_at_the_end_is_counted_not_dropped():
    data = "完整的句子，最后一个字被截".encode("utf-8") + "断".encode("utf-8")[:2]
    decoded = decode(data)
    assert decoded.text == "完整的句子，最后一个字被截\ufffd"
    assert decoded.replaced == 2
    assert decoded.confidence < 1.0


def test_western_single_byte_text():
    assert decode("café crème, déjà vu".encode("cp1252")).text == "café crème, déjà vu"
    assert decode("Ärger über Öl".encode("cp1252")).text == "Ärger über Öl"


_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200).filter(lambda s: not s.startswith("\ufeff"))


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_valid_utf8_decodes_to_itself(text):
    decoded = decode(text.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.replaced) == (text, "utf-8", 0)


@given(st.binary(max_size=64))
@example(b"\xc2\x80\r\x91")  # a legacy line that decodes to ASCII letters is still its own region
@settings(max_examples=400, deadline=None)
def test_no_bytes_are_silently_dropped(data):
    """Whatever comes back re-encodes to the input, or says how many bytes it replaced."""
    try:
        decoded = decode(data)
    except DecodeError:
        return
    if decoded.replaced:
        assert decoded.text.count("\ufffd") >= 1
        return
    if decoded.regions:
        parts = [data[r.start : r.end].decode(r.encoding) for r in decoded.regions]
        assert "".join(parts) == decoded.text
        return
    codec = {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "utf-32": "utf-32"}.get(decoded.encoding, decoded.encoding)
    assert data.decode(codec) == decoded.text
