"""The simulator's citizens: the demo's applicants (fictional people; fictional numbers)."""

GATEWAY_TIMEOUT, SLOW, FAILING = "000000000504", "000000000999", "000000000500"

CITIZENS: dict[str, dict] = {
    "015090001234": {
        "Ho": "Nguyễn", "ChuDem": "Văn", "Ten": "An", "GioiTinh": "1", "NgayThangNam": "19900512", "DanToc": "Kinh",
        "ThuDienTu": "an.nguyen@example.vn",
        "NoiOHienTai": {"MaTinhThanh": "15", "MaQuanHuyen": "136", "MaPhuongXa": "04282",
                        "ChiTiet": "Tổ 5, thị trấn Yên Thế, huyện Lục Yên, tỉnh Yên Bái"},
        "ThuongTru": {"MaTinhThanh": "15", "MaQuanHuyen": "136", "MaPhuongXa": "04282",
                      "ChiTiet": "Tổ 5, thị trấn Yên Thế, huyện Lục Yên, tỉnh Yên Bái"},
    },
    "015185004321": {
        "Ho": "Hoàng", "ChuDem": "Thị", "Ten": "Thúy Hằng", "GioiTinh": "2", "NgayThangNam": "19850923", "DanToc": "Tày",
        "ThuDienTu": "",
        "NoiOHienTai": {"MaTinhThanh": "15", "MaQuanHuyen": "136", "MaPhuongXa": "04300",
                        "ChiTiet": "Thôn Khe Dõm, xã Minh Xuân, huyện Lục Yên, tỉnh Yên Bái"},
        "ThuongTru": {"MaTinhThanh": "15", "MaQuanHuyen": "136", "MaPhuongXa": "04300",
                      "ChiTiet": "Thôn Khe Dõm, xã Minh Xuân, huyện Lục Yên, tỉnh Yên Bái"},
    },
    "002096007788": {
        "Ho": "Lò", "ChuDem": "Văn", "Ten": "Đức", "GioiTinh": "1", "NgayThangNam": "19960101", "DanToc": "Thái",
        "ThuDienTu": "",
        "NoiOHienTai": {},
        "ThuongTru": {"MaTinhThanh": "02", "MaQuanHuyen": "026", "MaPhuongXa": "00688",
                      "ChiTiet": "Tổ 9, phường Nguyễn Trãi, thành phố Hà Giang, tỉnh Hà Giang"},
    },
}
