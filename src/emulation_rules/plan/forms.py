"""The forms of award of the Law on Emulation and Commendation, as a catalogue with citations.

A campaign's award names its form (``form: chien_si_thi_dua_co_so``): one of the titles (danh hiệu
thi đua) or commendations (hình thức khen thưởng) below, or a form the campaign declares itself
(``forms:`` in the plan, cited like every other element). Each form lists its provisions under
the two regimes: **A** — Luật Thi đua, khen thưởng 15/2003/QH11 (amended 2005, 2013) and Nghị định
91/2017/NĐ-CP, for achievements up to 31/12/2023; **B** — Luật Thi đua, khen thưởng 06/2022/QH15,
Nghị định 98/2023/NĐ-CP and Thông tư 01/2024/TT-BNV, from 1/1/2024. A provision read only second
hand (a sectoral copy, a press report) is marked ``confirmed: False`` with a note: it is never
presented as the law's own text.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from emulation_rules.plan.citations import ID_PATTERN, Citation, Frozen, Source

Category = Literal["title", "commendation"]
Regime = Literal["A", "B"]
Recipient = Literal["collective", "individual"]

#: the span of achievements each regime governs: A up to 31/12/2023, B from 1/1/2024
REGIMES: dict[Regime, tuple[dt.date | None, dt.date | None]] = {
    "A": (None, dt.date(2023, 12, 31)),
    "B": (dt.date(2024, 1, 1), None),
}


class Provision(Frozen):
    """Where one regime provides for a form: the instrument (a key of :data:`SOURCES`), the
    article, a short quote, and whether the text was read in the instrument itself."""

    regime: Regime
    source: str
    clause: str
    quote: str | None = None
    read_at: str | None = Field(None, description="key of the source the text was read at")
    confirmed: bool = True
    note: str | None = None


class FormOfAward(Frozen):
    """One form of award of the law."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    category: Category
    recipients: tuple[Recipient, ...] = Field(min_length=1)
    provisions: tuple[Provision, ...] = Field(min_length=1)


class LocalForm(Frozen):
    """A form of award a campaign declares itself (a provincial title, a thematic flag)."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    category: Category
    recipients: tuple[Recipient, ...] = Field(min_length=1)
    citation: Citation


def _law(kind: str, number: str, date: dt.date | None, issuer: str, title: str) -> Source:
    note = None if date else "The issuing date was not found in the sources read."
    return Source(kind=kind, number=number, date=date, date_note=note, issuer=issuer, title=title)


def _page(issuer: str, url: str, title: str) -> Source:
    return Source(
        kind="Trang tin",
        number=None,
        number_note="A web page (a guidance answer or a report), not a numbered document.",
        date=None,
        date_note="The page carries no date that was recorded when it was read.",
        issuer=issuer,
        title=title,
        url=url,
    )


#: the instruments of the two regimes, and the pages where their texts were read
SOURCES: dict[str, Source] = {
    "luat_2003": _law(
        "Luật",
        "15/2003/QH11",
        dt.date(2003, 11, 26),
        "Quốc hội",
        "Luật Thi đua, khen thưởng (sửa đổi 47/2005/QH11, 39/2013/QH13)",
    ),
    "nd_91_2017": _law(
        "Nghị định",
        "91/2017/NĐ-CP",
        dt.date(2017, 7, 31),
        "Chính phủ",
        "Quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
    ),
    "luat_2022": _law(
        "Luật", "06/2022/QH15", dt.date(2022, 6, 15), "Quốc hội", "Luật Thi đua, khen thưởng"
    ),
    "nd_98_2023": _law(
        "Nghị định",
        "98/2023/NĐ-CP",
        dt.date(2023, 12, 31),
        "Chính phủ",
        "Quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
    ),
    "tt_01_2024": _law(
        "Thông tư",
        "01/2024/TT-BNV",
        None,
        "Bộ Nội vụ",
        "Quy định chi tiết một số điều của Nghị định 98/2023/NĐ-CP (in force 15/4/2024)",
    ),
    "langson_cstdcs": _page(
        "Ban Thi đua - Khen thưởng tỉnh Lạng Sơn",
        "http://thiduakhenthuong.langson.gov.vn/en/hinhthucs/chien-si-thi-dua-co-so",
        "Chiến sĩ thi đua cơ sở",
    ),
    "langson_ttldtt": _page(
        "Ban Thi đua - Khen thưởng tỉnh Lạng Sơn",
        "http://thiduakhenthuong.langson.gov.vn/en/hinhthucs/tap-lao-dong-tien-tien",
        "Tập thể lao động tiên tiến",
    ),
    "danluat_ldtt": _page(
        "Dân Luật (Thư viện Pháp luật)",
        "https://danluatold.thuvienphapluat.vn/tieu-chuan-xet-tang-danh-hieu-lao-dong-tien-tien-cho-can-bo-cong-chuc-170579.aspx",
        "Tiêu chuẩn xét tặng danh hiệu Lao động tiên tiến",
    ),
    "laodong_ldtt_2024": _page(
        "Báo Lao Động",
        "https://news.laodong.vn/cong-doan/bo-noi-vu-neu-dieu-kien-xet-danh-hieu-lao-dong-tien-tien-1423234.ldo",
        "Bộ Nội vụ nêu điều kiện xét danh hiệu Lao động tiên tiến",
    ),
    "tvpl_cstd_bo": _page(
        "Thư viện Pháp luật",
        "https://thuvienphapluat.vn/hoi-dap-phap-luat/47C20-hd-dieu-kien-de-duoc-cong-nhan-chien-si-thi-dua-cap-bo.html",
        "Điều kiện để được công nhận Chiến sĩ thi đua cấp bộ",
    ),
    "chinhsach_cstd_tinh": _page(
        "Chính sách online (Báo Điện tử Chính phủ)",
        "https://chinhsachonline.chinhphu.vn/print/dieu-kien-xet-tang-danh-hieu-chien-si-thi-dua-cap-tinh-72011.htm",
        "Điều kiện xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
    ),
    "baonghean_cstd_tq": _page(
        "Báo Nghệ An",
        "https://baonghean.vn/en/dieu-kien-duoc-xet-tang-danh-hieu-chien-sy-thi-dua-10187147.html",
        "Điều kiện được xét tặng danh hiệu Chiến sỹ thi đua",
    ),
    "sotuphap_ttldxs": _page(
        "Sở Tư pháp Thừa Thiên Huế",
        "https://stp.thuathienhue.gov.vn/?gd=12&cn=28&tc=9123",
        "Tiêu chuẩn danh hiệu Tập thể lao động xuất sắc",
    ),
    "thukyluat_ttldxs": _page(
        "Thư Ký Luật",
        "https://thukyluat.vn/news/diem-tin-van-ban/tieu-chuan-danh-hieu-tap-the-lao-dong-xuat-sac-trong-nganh-xd-61690.html",
        "Tiêu chuẩn danh hiệu Tập thể lao động xuất sắc trong ngành xây dựng",
    ),
    "tvpl_co_bo": _page(
        "Thư viện Pháp luật",
        "https://thuvienphapluat.vn/hoi-dap-phap-luat/4A74C-hd-tieu-chuan-danh-hieu-co-thi-dua-cua-bo-nganh-van-hoa-the-thao-va-du-lich.html",
        "Tiêu chuẩn danh hiệu Cờ thi đua của bộ",
    ),
    "bantdkt_co_cp": _page(
        "Ban Thi đua - Khen thưởng Trung ương",
        "http://banthiduakhenthuongtw.gov.vn/traloi/bdd164a488c44a9da99ce1d36990b69c",
        "Cờ thi đua của Chính phủ",
    ),
    "lawnet_co": _page(
        "LawNet",
        "https://lawnet.vn/en/laws/tap-the-phai-dat-duoc-nhung-tieu-chuan-dieu-kien-nao-de-duoc-xet-tang-danh-hieu-co-thi-dua-cac-cap-22767.html",
        "Tiêu chuẩn, điều kiện xét tặng danh hiệu Cờ thi đua các cấp",
    ),
    "chinhsach_bang_khen": _page(
        "Chính sách online (Báo Điện tử Chính phủ)",
        "https://chinhsachonline.chinhphu.vn/tieu-chuan-de-nghi-xet-tang-bang-khen-cua-bo-nganh-77204.htm",
        "Tiêu chuẩn đề nghị xét tặng Bằng khen của bộ, ngành",
    ),
    "baochinhphu_bk_ttg": _page(
        "Báo Điện tử Chính phủ",
        "http://baodientu.chinhphu.vn/Utilities/PrintView.aspx?distributionid=442848",
        "Bằng khen của Thủ tướng Chính phủ",
    ),
    "laodong_bk_ttg": _page(
        "Báo Lao Động",
        "https://news.laodong.vn/giao-duc/tieu-chuan-de-giao-vien-nhan-bang-khen-cua-thu-tuong-1400546.ldo",
        "Tiêu chuẩn để giáo viên nhận Bằng khen của Thủ tướng",
    ),
    "baochinhphu_giay_khen": _page(
        "Báo Điện tử Chính phủ",
        "https://baochinhphu.vn/tieu-chuan-xet-tang-giay-khen-102241213091854171.htm",
        "Tiêu chuẩn xét tặng Giấy khen",
    ),
}

_SECOND_HAND = "Read only in a sectoral copy or a report, not in the instrument itself."


def _form(
    fid: str,
    label: str,
    category: Category,
    recipients: tuple[Recipient, ...],
    *provisions: Provision,
) -> FormOfAward:
    return FormOfAward(
        id=fid, label=label, category=category, recipients=recipients, provisions=provisions
    )


def _provision(
    regime: Regime,
    source: str,
    clause: str,
    read_at: str | None = None,
    *,
    quote: str | None = None,
    confirmed: bool = True,
    note: str | None = None,
) -> Provision:
    return Provision(
        regime=regime,
        source=source,
        clause=clause,
        read_at=read_at,
        quote=quote,
        confirmed=confirmed,
        note=note,
    )


#: the forms of award of the law, by id
CATALOGUE: dict[str, FormOfAward] = {
    f.id: f
    for f in (
        _form(
            "lao_dong_tien_tien",
            "Lao động tiên tiến",
            "title",
            ("individual",),
            _provision(
                "A",
                "luat_2003",
                "Điều 24 khoản 1 (sửa đổi 2013)",
                "danluat_ldtt",
                quote="hoàn thành tốt nhiệm vụ được giao",
            ),
            _provision(
                "A", "nd_91_2017", "Điều 10", "danluat_ldtt", quote="mới tuyển dụng dưới 10 tháng"
            ),
            _provision(
                "B",
                "luat_2022",
                "Điều 24 khoản 1",
                "laodong_ldtt_2024",
                quote="Hoàn thành tốt nhiệm vụ trở lên",
            ),
            _provision(
                "B", "tt_01_2024", "Điều 1 khoản 5", "laodong_ldtt_2024", quote="dưới 06 tháng"
            ),
        ),
        _form(
            "chien_si_tien_tien",
            "Chiến sĩ tiên tiến",
            "title",
            ("individual",),
            _provision("A", "luat_2003", "Điều 24 khoản 1 (lực lượng vũ trang)", "danluat_ldtt"),
            _provision(
                "B", "luat_2022", "Điều 24 khoản 1 (lực lượng vũ trang)", "laodong_ldtt_2024"
            ),
        ),
        _form(
            "chien_si_thi_dua_co_so",
            "Chiến sĩ thi đua cơ sở",
            "title",
            ("individual",),
            _provision(
                "A",
                "nd_91_2017",
                "Điều 9 khoản 3",
                "langson_cstdcs",
                quote="có sáng kiến… được cơ sở công nhận",
            ),
            _provision(
                "B",
                "luat_2022",
                "Điều 23",
                "langson_cstdcs",
                quote="Hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến",
            ),
        ),
        _form(
            "chien_si_thi_dua_cap_bo_tinh",
            "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh",
            "title",
            ("individual",),
            _provision(
                "A", "nd_91_2017", "Điều 9 khoản 2", "tvpl_cstd_bo", quote="ba lần liên tục"
            ),
            _provision(
                "B",
                "luat_2022",
                "Điều 22 khoản 1",
                "chinhsach_cstd_tinh",
                quote="03 lần liên tục",
                note="One answer of the Ministry of Home Affairs numbers it Điều 21; Điều 22 "
                "fits the rest of the Law.",
            ),
        ),
        _form(
            "chien_si_thi_dua_toan_quoc",
            "Chiến sĩ thi đua toàn quốc",
            "title",
            ("individual",),
            _provision(
                "A", "nd_91_2017", "Điều 9 khoản 1", "baonghean_cstd_tq", quote="02 lần liên tục"
            ),
            _provision(
                "B",
                "luat_2022",
                "Điều 21",
                "baonghean_cstd_tq",
                quote="02 lần liên tục",
                note="Article number by the sequence of the Law's chapter.",
            ),
        ),
        _form(
            "tap_the_lao_dong_tien_tien",
            "Tập thể lao động tiên tiến",
            "title",
            ("collective",),
            _provision("A", "luat_2003", "Điều 28 khoản 1", "langson_ttldtt", quote="trên 50%"),
            _provision(
                "B",
                "luat_2022",
                "Điều 28",
                "langson_ttldtt",
                confirmed=False,
                note="The 2022 text was not read; it is reported to keep 'trên 50%', while "
                "TT 29/2023/TT-BGDĐT uses 'ít nhất 70%'.",
            ),
        ),
        _form(
            "tap_the_lao_dong_xuat_sac",
            "Tập thể lao động xuất sắc",
            "title",
            ("collective",),
            _provision(
                "A",
                "luat_2003",
                "Điều 27 khoản 1",
                "thukyluat_ttldxs",
                quote="ít nhất 70%",
                confirmed=False,
                note=_SECOND_HAND,
            ),
            _provision(
                "B",
                "luat_2022",
                "Điều 27 khoản 1",
                "sotuphap_ttldxs",
                quote="ít nhất là 70%",
                note="Article number by sequence.",
            ),
        ),
        _form(
            "co_thi_dua",
            "Cờ thi đua cấp bộ, ban, ngành, tỉnh",
            "title",
            ("collective",),
            _provision(
                "A", "nd_91_2017", "Điều 12", "tvpl_co_bo", quote="theo các khối, cụm thi đua"
            ),
            _provision(
                "B",
                "luat_2022",
                "Điều 26",
                "lawnet_co",
                confirmed=False,
                note="The 2022 text of the article was not read.",
            ),
        ),
        _form(
            "co_thi_dua_chinh_phu",
            "Cờ thi đua của Chính phủ",
            "title",
            ("collective",),
            _provision(
                "A", "nd_91_2017", "Điều 11 khoản 1", "bantdkt_co_cp", quote="không quá 20%"
            ),
            _provision("B", "luat_2022", "Điều 25", "lawnet_co"),
        ),
        _form(
            "bang_khen",
            "Bằng khen cấp bộ, ban, ngành, tỉnh",
            "commendation",
            ("collective", "individual"),
            _provision(
                "A",
                "luat_2003",
                "Điều 72",
                "chinhsach_bang_khen",
                confirmed=False,
                note=_SECOND_HAND,
            ),
            _provision(
                "B",
                "luat_2022",
                "Điều 74",
                "chinhsach_bang_khen",
                quote="liên tục từ 02 năm trở lên… 02 sáng kiến",
            ),
        ),
        _form(
            "bang_khen_thu_tuong",
            "Bằng khen của Thủ tướng Chính phủ",
            "commendation",
            ("collective", "individual"),
            _provision(
                "A",
                "nd_91_2017",
                "Điều 38 khoản 1",
                "baochinhphu_bk_ttg",
                quote="đã được tặng Bằng khen",
            ),
            _provision("B", "luat_2022", "Điều 73 khoản 1 điểm b", "laodong_bk_ttg"),
        ),
        _form(
            "giay_khen",
            "Giấy khen",
            "commendation",
            ("collective", "individual"),
            _provision(
                "A",
                "luat_2003",
                "Điều 75–76",
                confirmed=False,
                note="The 2003 articles were not read.",
            ),
            _provision(
                "B",
                "luat_2022",
                "Điều 75 khoản 2",
                "baochinhphu_giay_khen",
                quote="quy định chi tiết… giấy khen",
            ),
        ),
    )
}


def form_problems() -> list[str]:
    """Broken references inside the catalogue itself (tested: none)."""
    out = []
    for form in CATALOGUE.values():
        for p in form.provisions:
            for key in (p.source, p.read_at):
                if key is not None and key not in SOURCES:
                    out.append(f"form '{form.id}': provision names unknown source '{key}'")
    return out
