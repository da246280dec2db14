"""``python -m bench ocr``: digitisation's OCR on this machine (issue 19 §3, its closing note).

A scan made here from Vietnamese text with diacritics (``tests/documents/scanmaker.py``: the
page typeset, rasterised at 200 dpi, turned 0.4°, saved as a grey JPEG, the pages joined into a
PDF as a counter's scanner gives them) goes through the same OCR the background task runs
(``documents.ocr.recognise``: OCRmyPDF, Tesseract ``vie``, PDF/A-2b, ``MOTCUA_OCR_JOBS`` pages
at once — 1 by default, as the worker does), in :data:`documents.digitisation.PAGES_PER_STEP`
page steps as the task cuts a long scan; its text layer is read back as search reads it
(``documents.scans.text_of``). Prints:

* pages per minute (``BENCH_OCR_PAGES`` pages, 6 by default, after a one-page warm-up);
* the share of the words recovered, with their diacritics, case ignored, each counted as often
  as it occurs (``scanmaker.share_recovered``, the measure the test asserts ≥ 95 % on), over the
  whole scan and for the worst page.

Runs in its own process with Django set up on a scratch data folder (no database is touched).
``python -m bench.ocr`` prints the figures as JSON on its last line (what ``bench`` reads).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_PAGES = int(os.environ.get("BENCH_OCR_PAGES", "6"))

# Pages of ordinary counter papers, with every kind of diacritic (the birth certificate is the test's).
MORE_PAGES = [
    """ỦY BAN NHÂN DÂN XÃ PHƯƠNG ĐỘ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN
Xét đề nghị của bà Phạm Thị Ngọc Ánh về việc cấp Giấy xác nhận tình trạng hôn nhân
Ủy ban nhân dân xã Phương Độ xác nhận: bà Phạm Thị Ngọc Ánh, sinh ngày mười hai
tháng tư năm một nghìn chín trăm chín mươi lăm, dân tộc Tày, quốc tịch Việt Nam,
nơi cư trú: thôn Bản Tùy, xã Phương Độ, thành phố Hà Giang, tỉnh Hà Giang.
Trong thời gian cư trú tại xã Phương Độ từ năm hai nghìn không trăm mười chín
đến nay, chưa đăng ký kết hôn với ai.
Giấy này có giá trị sử dụng trong thời hạn sáu tháng kể từ ngày cấp, để làm thủ tục
đăng ký kết hôn tại Ủy ban nhân dân huyện Vị Xuyên.
Người ký giấy xác nhận: Phó Chủ tịch Hoàng Văn Thượng""",
    """HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT
Bên chuyển nhượng: ông Đặng Quốc Huy và vợ là bà Vũ Thị Thanh Hằng
Bên nhận chuyển nhượng: ông Lương Đức Thắng, thường trú tại tổ dân phố số bảy,
phường Nguyễn Trãi, thành phố Hà Giang.
Thửa đất số một trăm hai mươi tám, tờ bản đồ số mười bốn, diện tích ba trăm
mười lăm mét vuông, mục đích sử dụng: đất ở tại nông thôn và đất trồng cây lâu năm.
Giá chuyển nhượng do hai bên thỏa thuận, việc thanh toán do hai bên tự thực hiện
và chịu trách nhiệm trước pháp luật. Hai bên cam đoan những thông tin đã ghi trong
hợp đồng này là đúng sự thật, đã đọc lại, hiểu rõ quyền, nghĩa vụ và lợi ích hợp pháp
của mình, đồng ý toàn bộ nội dung và ký tên dưới đây trước sự chứng kiến của
công chứng viên Nguyễn Thị Tuyết Mai, Văn phòng công chứng Hà Giang.""",
]


def texts(pages: int) -> list[str]:
    from tests.documents.scanmaker import BIRTH_CERTIFICATE

    all_pages = [BIRTH_CERTIFICATE, *MORE_PAGES]
    return [all_pages[i % len(all_pages)] for i in range(pages)]


def measure(pages: int = N_PAGES) -> dict:
    """Run inside a process whose Django is set up."""
    import pikepdf

    from motcua.documents import digitisation, ocr, scans
    from tests.documents import scanmaker

    if not ocr.available():
        return {"ocr_missing": ", ".join(ocr.missing())}
    pages_text = texts(pages)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        scan = tmp / "scan.pdf"
        scan.write_bytes(scanmaker.pdf(pages_text))
        warm = tmp / "warm.jpg"
        warm.write_bytes(scanmaker.jpeg(MORE_PAGES[0]))
        ocr.recognise(warm, tmp / "warm.pdf")  # the first run loads Tesseract's model from disk
        recognised: list[str] = []
        started = time.perf_counter()
        for start in range(0, pages, digitisation.PAGES_PER_STEP):  # the task's steps
            stop = min(start + digitisation.PAGES_PER_STEP, pages)
            part = tmp / f"part-{start}.pdf"
            scans.copy_pages(scan, start, stop, part)
            out = tmp / f"ocr-{start}.pdf"
            ocr.recognise(part, out)
            for n in range(stop - start):  # page by page, for the worst page's figure
                one = tmp / f"page-{start + n}.pdf"
                scans.copy_pages(out, n, n + 1, one)
                recognised.append(scans.text_of(one))
        seconds = time.perf_counter() - started
        with pikepdf.open(out) as pdf:
            pdfa = pdf.open_metadata().pdfa_status
    shares = [scanmaker.share_recovered(truth, got) for truth, got in zip(pages_text, recognised)]
    whole = scanmaker.share_recovered("\n".join(pages_text), "\n".join(recognised))
    total_words = sum(scanmaker.words("\n".join(pages_text)).values())
    return {"ocr_pages": pages, "ocr_seconds": seconds, "ocr_pages_per_min": pages * 60 / seconds,
            "ocr_words": total_words, "ocr_words_pct": whole * 100, "ocr_worst_page_pct": min(shares) * 100,
            "ocr_pdfa": pdfa, "ocr_jobs": _jobs()}


def _jobs() -> int:
    from django.conf import settings

    return settings.OCR_JOBS


def bench_ocr() -> dict:
    """``bench``'s part: :func:`measure` in a child process (a scratch data folder, SQLite)."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "MOTCUA_DATA_DIR": data, "MOTCUA_LOG_LEVEL": "ERROR"}
        env.pop("DATABASE_URL", None)
        out = subprocess.run([sys.executable, "-m", "bench.ocr"], env=env, cwd=root, check=True, text=True,
                             stdout=subprocess.PIPE).stdout
    result = json.loads(out.strip().splitlines()[-1])
    if "ocr_missing" in result:
        print(f"!! OCR figures skipped: this machine lacks {result['ocr_missing']}", flush=True)
        return {}
    print(f"   OCR: {result['ocr_pages_per_min']:.1f} pages/min ({result['ocr_pages']} pages in "
          f"{result['ocr_seconds']:.1f} s, {result['ocr_jobs']} at once, PDF/A-{result['ocr_pdfa']}); words recovered "
          f"{result['ocr_words_pct']:.1f} % of {result['ocr_words']} (worst page {result['ocr_worst_page_pct']:.1f} %)",
          flush=True)
    return result


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    print(json.dumps(measure()))
