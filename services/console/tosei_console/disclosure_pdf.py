"""The disclosure to a person (保有個人情報開示) as a readable Japanese PDF: a title page heading,
then one section per service, every item under its Japanese name (never a code), corrections
with what was there before, and page numbers.

The font is the platform's (``tosei_common.platform.pdf``, as the seminar's certificates use it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from tosei_common.catalogue import labels
from tosei_common.catalogue.caseflow import Track
from tosei_common.platform.pdf import FAMILY, japanese_pdf
from tosei_common.region.fiscal import TOKYO, japanese_date
from tosei_console.domain.disclosure import DisclosureBundle
from tosei_console.domain.timeline import actor_label, detail, kind_label

COUNCIL = "東青ビジネスサポート協議会"
INTRODUCTION = (
    "個人情報の保護に関する法律に基づくご請求により、東青圏域の経営の総合相談窓口、相談案件の"
    "管理、在宅医療合同研修会の記録に保有しているあなたの個人情報を、次のとおり開示します。"
    "内容に誤りがある場合は訂正を、利用の停止を希望される場合はその旨を、協議会の事務局に"
    "お申し出ください。"
)
LABEL_WIDTH = 42
LINE = 6.0


def _moment(value: Any) -> str:
    if not value:
        return ""
    text = str(value)
    if "T" not in text:
        return japanese_date(date.fromisoformat(text))
    at = datetime.fromisoformat(text).astimezone(TOKYO)
    return f"{japanese_date(at.date())} {at:%H:%M}"


def _yes(value: Any) -> str:
    return "あり" if value else "なし"


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, size=9)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, f"{self.page_no()} / {{nb}} ページ", align=Align.C)


class _Writer:
    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf

    def heading(self, text: str, size: int = 14) -> None:
        pdf = self.pdf
        pdf.ln(3)
        pdf.set_font(FAMILY, size=size)
        pdf.set_text_color(20, 40, 90)
        pdf.multi_cell(0, 9, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(30, 30, 30)
        pdf.set_font(FAMILY, size=10)

    def text(self, text: str) -> None:
        self.pdf.set_font(FAMILY, size=10)
        self.pdf.multi_cell(
            0, LINE, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def item(self, label: str, value: Any) -> None:
        """A labelled value; an empty one is said to be empty (the person sees every item)."""
        shown = "、".join(str(v) for v in value) if isinstance(value, list) else value
        pdf = self.pdf
        pdf.set_font(FAMILY, size=10)
        pdf.set_x(pdf.l_margin + 4)
        pdf.set_text_color(80, 80, 80)
        pdf.cell(LABEL_WIDTH, LINE, label)
        pdf.set_text_color(30, 30, 30)
        pdf.multi_cell(
            0,
            LINE,
            str(shown) if shown not in (None, "") else "（なし）",
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def history(self, entries: Sequence[Mapping[str, Any]]) -> None:
        """What was done to the record, corrections with before → after and why."""
        if not entries:
            return
        self.item("訂正等の履歴", f"{len(entries)}件")
        for e in entries:
            line = f"・{_moment(e['at'])} {e['action_label']}"
            if e.get("reason"):
                line += f"（理由: {e['reason']}）"
            self.indented(line)
            for c in e.get("changes") or []:
                self.indented(
                    f"{c['label']}: {c.get('old') or '（なし）'} → {c.get('new') or '（なし）'}",
                    depth=2,
                )

    def indented(self, text: str, depth: int = 1) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, size=9.5)
        pdf.set_x(pdf.l_margin + 4 + LABEL_WIDTH * 0.25 * depth)
        pdf.multi_cell(0, 5.5, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _intake(w: _Writer, d: Mapping[str, Any]) -> None:
    w.heading("1. 経営相談の受付の記録（相談受付サービス）")
    w.item("氏名", d["name"])
    w.item("ふりがな", d.get("furigana"))
    w.item("登録された氏名の表記", d.get("names"))
    w.item("電話番号", d.get("phones"))
    w.item("メールアドレス", d.get("emails"))
    w.item("事業者名・屋号", d.get("business_names"))
    w.item("登録日", _moment(d.get("created_at")))
    w.item("利用停止", "利用停止中" if d.get("use_stopped") else "なし")
    for stop in d.get("use_stops") or []:
        line = f"・{_moment(stop['stopped_at'])} 利用停止（理由: {stop['reason']}）"
        if stop.get("resumed_at"):
            line += f" → {_moment(stop['resumed_at'])} 解除（理由: {stop.get('resume_reason')}）"
        w.indented(line)
    for merge in d.get("merges") or []:
        undone = f"（{_moment(merge['undone_at'])} 取消し）" if merge.get("undone_at") else ""
        w.item("重複した記録の統合", f"{_moment(merge['merged_at'])}{undone}")
    w.history(d.get("history") or [])
    for n, entry in enumerate(d.get("consultations") or [], start=1):
        c = entry["consultation"]
        w.heading(f"相談 {n}（{_moment(c['consulted_at'])}）", size=11)
        w.item("相談日時", _moment(c["consulted_at"]))
        w.item("相談時の氏名", c.get("person_name"))
        w.item("相談時のふりがな", c.get("furigana"))
        w.item("相談時の電話番号", c.get("phone"))
        w.item("相談時のメール", c.get("email"))
        w.item("事業者名・屋号", c.get("business_name"))
        w.item("事業の段階", c.get("stage_label"))
        w.item("市町村", (c.get("municipality") or {}).get("name"))
        w.item("相談分野", c.get("category_labels"))
        w.item("相談の経路", c.get("channel_label"))
        w.item("相談内容", c.get("description"))
        w.item("外部専門家への共有の同意", _yes(c.get("consent_to_share")))
        for change in entry.get("consent_changes") or []:
            given = "同意" if change["consent_to_share"] else "同意の撤回"
            note = f"（{change['note']}）" if change.get("note") else ""
            w.indented(f"・{_moment(change['given_on'])} {given}{note}")
        w.item("記録の由来", c.get("origin_label"))
        w.history(entry.get("history") or [])


def _caseflow(w: _Writer, d: Mapping[str, Any]) -> None:
    w.heading("2. 相談案件の支援の記録（案件管理サービス）")
    cases = d.get("cases") or []
    if not cases:
        w.text("保有している案件はありません。")
    for n, entry in enumerate(cases, start=1):
        case = entry["case"]
        names = {f"expert:{e['expert_id']}": e.get("expert_name") or "" for e in entry["experts"]}
        w.heading(f"案件 {n}（{str(case['case_id'])[:8].upper()}）", size=11)
        w.item("受付日時", _moment(case.get("opened_at")))
        w.item("状態", case.get("state_label"))
        w.item("支援の区分", labels.TRACK[Track(case["track"])])
        w.item("市町村", case.get("municipality_name"))
        w.item("利用停止", "利用停止中" if case.get("client_use_stopped") else "なし")
        for tenure in entry.get("experts") or []:
            until = f"〜{_moment(tenure['until'])}" if tenure.get("until") else "〜現在"
            w.item(
                "担当した支援人材",
                f"{tenure.get('expert_name')}（{_moment(tenure['since'])}{until}）",
            )
        w.item("経過", f"{len(entry.get('timeline') or [])}件")
        for t in entry.get("timeline") or []:
            what = detail(t["kind"], t.get("facts") or {}, names)
            who = actor_label(t.get("by") or "", names)
            w.indented(f"・{_moment(t['at'])} {kind_label(t['kind'])} {what}（{who}）")
            for label, key in (
                ("理由", "reason"),
                ("メモ", "note"),
                ("相談記録", "minutes"),
                ("非公開メモ", "confidential"),
            ):
                if t.get(key):
                    w.indented(f"{label}: {t[key]}", depth=2)
        voided = [s for s in entry.get("sessions") or [] if s.get("voided_at")]
        if voided:
            w.item("取り消された相談の記録", f"{len(voided)}件（集計に含めていません）")
        withheld = entry.get("confidential_notes_withheld") or 0
        if withheld:
            w.item("非公開メモ", f"{withheld}件あり（開示していません）")
    if d.get("withheld_because"):
        w.item("開示しない理由", d["withheld_because"])


def _seminar(w: _Writer, d: Mapping[str, Any], contacts: Sequence[str]) -> None:
    w.heading("3. 在宅医療合同研修会の申込みの記録（研修会サービス）")
    w.item("照会した連絡先", list(contacts))
    registrations = d.get("registrations") or []
    if not registrations:
        w.text("これらの連絡先による申込みの記録はありません。")
    for n, r in enumerate(registrations, start=1):
        w.heading(f"申込み {n}（{r['seminar_title']}）", size=11)
        w.item("研修会", r["seminar_title"])
        w.item("開催日時", _moment(r.get("starts_at")))
        w.item("研修会の状況", r.get("seminar_state_label"))
        w.item("参加方法", f"{r.get('mode_label')}（{r.get('place_name')}）")
        w.item("氏名", r.get("name"))
        w.item("ふりがな", r.get("name_kana"))
        w.item("所属", r.get("organisation"))
        w.item("職種", r.get("role_label"))
        w.item("市町村", r.get("municipality_name"))
        w.item("メールアドレス", r.get("email"))
        w.item("電話番号", r.get("phone"))
        w.item("受付番号", r.get("reference"))
        w.item("申込日時", _moment(r.get("registered_at")))
        w.item("申込の状況", r.get("status_label"))
        checked = r.get("checked_in_at")
        w.item("出席", f"出席（{_moment(checked)} 受付）" if checked else "記録なし")
        feedback = r.get("feedback")
        if feedback:
            w.item(
                "アンケートの回答",
                f"満足度 {feedback['satisfaction']}・業務に役立つか {feedback['usefulness']}"
                "（5段階）",
            )
            w.item("アンケートの自由記述", feedback.get("comment"))
        else:
            w.item("アンケートの回答", "なし")
        w.item("修了証", "発行できます" if r.get("certificate_issuable") else "対象外")
        w.history(r.get("history") or [])
        _mails(w, r.get("mails") or [])


def _mails(w: _Writer, mails: Sequence[Mapping[str, Any]]) -> None:
    """The mails written to them: when, what, to where, whether it went, and the text."""
    w.item("お送りしたメール", f"{len(mails)}件")
    for m in mails:
        sent = f"{_moment(m['sent_at'])} 送信" if m.get("sent_at") else m.get("state_label")
        w.indented(f"・{_moment(m['written_at'])} {m.get('kind_label')}（{sent}）")
        w.indented(f"宛先: {m.get('to') or '（消去済み）'}", depth=2)
        w.indented(f"件名: {m.get('subject') or '（消去済み）'}", depth=2)
        if m.get("body"):
            w.indented("本文:", depth=2)
            w.indented(m["body"].rstrip(), depth=3)


def render(bundle: DisclosureBundle) -> bytes:
    """The bundle as an A4 PDF."""
    with japanese_pdf(
        _Document(orientation="P", unit="mm", format="A4"),
        title=bundle.title,
        author=COUNCIL,
        creator="Tosei console",
    ) as pdf:
        pdf.set_auto_page_break(True, margin=18)
        pdf.alias_nb_pages()
        pdf.add_page()
        w = _Writer(pdf)
        pdf.set_font(FAMILY, size=20)
        pdf.cell(0, 14, bundle.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, size=10)
        pdf.cell(0, 7, bundle.produced_on, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.cell(0, 7, COUNCIL, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        w.item("請求者（相談者）", bundle.intake.get("name"))
        pdf.ln(2)
        w.text(INTRODUCTION)
        _intake(w, bundle.intake)
        _caseflow(w, bundle.caseflow)
        _seminar(w, bundle.seminar, bundle.seminar_contacts)
    return bytes(pdf.output())
