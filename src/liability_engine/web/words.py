"""Every word of the web page's own chrome, in Chinese and English (one place, one pair per key).

Legal words (acts, findings, article texts, questions) are never here: they come from the rulebook
(`rules/vocabulary.yaml`, `rules/findings.yaml`, the article files).
"""

from __future__ import annotations

__all__ = ["WORDS", "say", "LANGS", "pick"]

LANGS = ("zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    # chrome
    "app": ("司法责任认定", "Judicial responsibility"),
    "nav_evaluate": ("认定", "Evaluate"), "nav_train": ("练习", "Train"), "nav_progress": ("练习记录", "Progress"),
    "nav_rules": ("规则", "Rules"), "logout": ("退出", "Log out"), "lang_other": ("English", "中文"),
    "skip": ("跳到正文", "Skip to content"), "signed_in_as": ("登录身份", "signed in as"),
    # login
    "login_title": ("登录", "Sign in"),
    "login_help": ("请输入服务管理员发给您的访问令牌。令牌只用于本次登录，不会保存在浏览器中。",
                   "Enter the access token your service administrator gave you. It is used to sign in "
                   "and is not stored in the browser."),
    "token": ("访问令牌", "Access token"), "login_button": ("登录", "Sign in"),
    "login_failed": ("令牌无效，请检查后重试。", "That token is not valid; check it and try again."),
    "session_expired": ("登录已过期或无效，请重新登录。", "Your session has expired or is invalid; sign in again."),
    "csrf_failed": ("表单已过期（安全校验未通过），请刷新页面后重试。",
                    "The form has expired (the security check failed); reload the page and try again."),
    "too_many": ("登录尝试过于频繁，请稍后再试。", "Too many sign-in attempts; wait a minute and try again."),
    # evaluate form
    "evaluate_title": ("司法责任认定", "Evaluate a case"),
    "case": ("案件", "Case"), "case_id": ("案件编号", "Case id"), "case_kind": ("案件类别", "Kind of case"),
    "case_summary": ("案情摘要", "Summary"), "person": ("人员", "Person"), "person_id": ("人员编号", "Person id"),
    "person_name": ("姓名", "Name"),
    "person_role": ("人员类别", "Role"), "person_status": ("人员状态", "Status"),
    "conduct": ("行为", "Conduct"), "conduct_id": ("行为编号", "Conduct id"), "date": ("行为日期", "Date"),
    "conduct_summary": ("行为描述", "Description"), "act": ("行为类型", "Act"),
    "effects": ("后果与影响", "Effects"), "outcome_change": ("案件处理结果的改变", "Change of the case outcome"),
    "add_conduct": ("增加一项行为", "Add a conduct"), "remove_conduct": ("删除此行为", "Remove this conduct"),
    "evaluate": ("认定", "Evaluate"), "clear": ("清空", "Clear"), "choose": ("请选择", "choose"),
    "not_given": ("（未填）", "(not given)"), "none": ("无", "none"),
    "yes": ("是", "yes"), "no": ("否", "no"), "unknown": ("不清楚", "unknown"),
    "upload": ("或上传事实文件（YAML / JSON）", "Or upload a facts file (YAML / JSON)"),
    "upload_button": ("上传并认定", "Upload and evaluate"), "facts_file": ("事实文件", "Facts file"),
    "download_facts": ("下载事实（YAML）", "Download the facts (YAML)"),
    "download_report": ("下载认定报告（Markdown）", "Download the report (Markdown)"),
    "switch_keep": ("切换为 English（保留已填内容）", "切换为中文 (keep what you entered)"),
    "unknown_read_as": ("以下事实选择了“不清楚”，但事实格式目前不接受“不清楚”，已按其默认值计算：",
                        "These facts were marked “unknown”, but the facts format does not accept unknown for them "
                        "yet; they were read as their default:"),
    "read_as": ("按", "read as"),
    "invalid_facts": ("事实有误，未能认定：", "The facts are invalid and were not evaluated:"),
    "allowed": ("允许的值", "allowed"), "did_you_mean": ("是否应为", "did you mean"),
    "field": ("字段", "field"), "line": ("行", "line"),
    # result
    "result": ("认定结果", "Result"), "empty_result": ("填写左侧表格并点击“认定”，结果会显示在这里。",
                                                  "Fill in the form and press Evaluate; the result appears here."),
    "overall": ("总体认定", "Overall"), "finding": ("认定", "Finding"), "liable": ("司法责任", "Judicial responsibility"),
    "attaches": ("应当承担", "attaches"), "not_attach": ("不承担", "does not attach"),
    "open": ("无法认定", "undetermined"), "basis": ("法条依据", "Legal basis"),
    "version_applied": ("适用版本", "Version applied"), "version_year": ("{v}年版本", "version {v}"),
    "temporal": ("时间效力（第二十八条）", "Which version applies (Art. 28)"),
    "why": ("理由（成立的规则）", "Why (the rules that held)"),
    "why_not": ("为何不是其他认定", "Why not another finding"),
    "changes": ("何种事实会改变认定", "What would change it"), "no_changes": ("未发现", "none found"),
    "warnings": ("警示", "Warnings"), "provisional": ("待核实", "provisional"),
    "interpretation": ("解释", "interpretation"), "source_confidence": ("来源可信度", "source confidence"),
    "conf_confirmed": ("已核实", "confirmed"), "conf_moderate": ("中等", "moderate"), "conf_low": ("低", "low"),
    "questions": ("需要查明的事实", "Facts that would decide"),
    "questions_help": ("回答下列问题，认定结果会随之更新：", "Answer these questions; the result updates as you do:"),
    "leads_to": ("→", "→"), "explanation": ("说明", "Explanation"), "facts_considered": ("规则所依据的事实", "Facts the rules tested"),
    "defeated_by": ("让位于", "defeated by"), "evaluated_on": ("评估日期", "Evaluated on"),
    "rulebook": ("规则库", "Rulebook"),
    # train
    "train_title": ("认定练习", "Training"), "trainee": ("学员姓名", "Your name"), "class": ("班级", "Class"),
    "class_help": ("（可选，供教员查看）", "(optional, for your instructor)"),
    "topic": ("考点", "Topic"), "all_topics": ("全部考点", "all topics"), "difficulty": ("难度", "Difficulty"),
    "any_difficulty": ("不限", "any"), "count": ("题数", "Number of exercises"), "start": ("开始练习", "Start"),
    "exercise": ("练习", "Exercise"), "of": ("/", "of"), "narrative": ("案情", "The case"),
    "narrative_lang": ("案情语言", "Narrative language"),
    "q_finding": ("认定结论是什么？", "What is the finding?"), "q_article": ("依据哪一条？", "Which article decides?"),
    "q_item": ("哪一项或哪一款？", "Which item or paragraph?"), "q_liable": ("是否应当承担司法责任？", "Does judicial responsibility attach?"),
    "no_article": ("无（不引用条文）", "none (no article cited)"), "no_item": ("无", "none"),
    "submit_answer": ("提交回答", "Submit the answer"), "next": ("下一题", "Next exercise"),
    "finish": ("查看得分", "See the score"), "your": ("你的回答", "You said"), "correct_answer": ("正确答案", "Correct"),
    "right": ("正确", "right"), "wrong": ("错误", "wrong"), "citation": ("条款", "Article and item"),
    "determination": ("正确的认定", "The correct determination"), "teaching_note": ("教学提示", "Teaching note"),
    "not_applied": ("未适用的规定", "What did not apply"),
    "score": ("得分", "Score"), "exercises_correct": ("道全部答对", "exercises fully correct"),
    "parts": ("小题", "parts"), "again": ("再练一组", "Practise again"), "result_col": ("结果", "Result"),
    "answer_missing": ("请回答每一个问题（认定、条文、是否承担责任）。", "Answer every question (finding, article, liability)."),
    "no_match": ("没有符合条件的练习，请放宽考点或难度。", "No exercise matches; widen the topic or difficulty."),
    "name_needed": ("请填写姓名（1–64 个字符）。", "Enter your name (1–64 characters)."),
    "recorded": ("本组成绩已记入练习记录。", "This session is recorded in your progress."),
    # progress
    "progress_title": ("练习记录", "Progress"), "progress_for": ("学员", "Trainee"),
    "accuracy_per_article": ("各条文正确率（按日）", "Accuracy per article, per day"),
    "article": ("条文", "Article"), "total": ("合计", "Total"), "other": ("其他", "other"),
    "no_progress": ("还没有练习记录。", "No training recorded yet."),
    "instructor": ("教员视图：班级答题卡", "Instructor view: a class's answer sheets"),
    "show": ("查看", "Show"), "sheets": ("答题卡", "Answer sheets"), "when": ("时间", "When"),
    "answer": ("回答", "Answer"), "expected": ("应为", "Expected"), "no_sheets": ("该班级还没有答题卡。", "No answer sheets for this class yet."),
    "trainees": ("学员", "Trainees"), "chart_label": ("正确率折线图", "Accuracy chart"),
    # rules
    "rules_title": ("规则与条文", "Rules and articles"), "version": ("版本", "Version"),
    "in_force": ("施行", "In force"), "to_now": ("至今", "to now"), "issuer": ("发布机关", "Issuer"),
    "source": ("来源", "Source"), "errata": ("勘误", "Errata"), "articles": ("条文", "Articles"),
    "decision_table": ("决策表", "Decision table"), "rule": ("规则", "Rule"), "cite": ("引用", "Cite"),
    "text": ("条文", "Text"), "conditions": ("条件", "Conditions"), "precedence": ("优先层级", "Precedence"),
    "notes": ("备注", "Notes"), "all_articles": ("全部条文", "all articles"),
    "versions_diff": ("版本比较", "Versions compared"),
    "diff_help": ("以练习题库中的案例为样本，分别按两个版本认定（不适用第二十八条），列出认定、责任或条款不同之处。",
                  "The exercise bank's cases, each judged by either version alone (no Art. 28): where the finding, "
                  "the liability or the provision differ."),
    "diff_count": ("{n} 项行为中有 {d} 项不同", "{d} of {n} conducts differ"),
    "changed": ("变化", "Changed"), "exercise_case": ("案例", "Case"), "deciding": ("决定规则", "Deciding rules"),
    "compare": ("比较", "Compare"), "changed_finding": ("认定", "finding"), "changed_liable": ("责任", "liability"),
    "changed_citation": ("条款", "provision"), "warn_only": ("仅提示", "warning only"),
    "defeats": ("优先于", "defeats"),
    "errors_title": ("出错了", "Something went wrong"), "not_found": ("页面不存在。", "No such page."),
}


def say(key: str, lang: str, **values: object) -> str:
    zh, en = WORDS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def pick(query: str | None, cookie: str | None) -> str:
    """`?lang=` first, then the cookie, then Chinese."""
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    return "zh"
