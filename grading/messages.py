"""The grader's own sentences that a student reads, in every language the course is taught in.

The check messages of `checks/` are gettext messages (`checks.i18n`); the grader's own (a cell or test
that ran out of time, a student process that crashed, a test not run, the grading notes at the top of
the feedback) are written here, each a named `Message` with its English and its Korean side by side,
and their placeholders named (`{seconds:g}`).  A typed table rather than a second gettext catalogue:
these few dozen sentences are written with the grader's code and reviewed with it, a missing or
misspelt translation is an error where it is written (every field is required), and there is no
catalogue to extract, compile and keep in step; `tests/test_grading_messages.py` checks that both
languages of every message have the same placeholders.

Which language: the course's, carried by the judge's job (`plan.job_for`'s `language`, part of the
cache key), so that a cluster worker or a cached result speaks the course's language whatever the
machine's settings.  Code running in the grading command or in nbgrader passes the language it was
configured with (`nbgrader_plugins.CourseLanguage.language`); the judge process speaks the language its job names
(`process_language`, which `grading.runner` sets for it, as it does for the check messages).
Instructor-only text (the report, the review reasons, the tamper findings, logs) stays English.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, fields

from checks.i18n import ENGLISH, LANGUAGE_VARIABLE  # the check messages' language is chosen the same way

from . import sandbox


@dataclass(frozen=True)
class Message:
    """One sentence of the grader's, in each language of the course (a field per language)."""

    en: str
    ko: str

    def text(self, language: str, /, **values: object) -> str:
        """The sentence in `language`, its placeholders filled from `values` (any names, `message` too)."""
        return getattr(self, checked(language)).format(**values)

    def placeholders(self, language: str) -> set[str]:
        """The names of the placeholders of the sentence in `language`."""
        return {name for _, name, _, _ in string.Formatter().parse(getattr(self, language)) if name}


LANGUAGES: tuple[str, ...] = tuple(f.name for f in fields(Message))


def checked(language: str) -> str:
    """`language` itself, when the grader speaks it; otherwise a ValueError naming the ones it does."""
    if language not in LANGUAGES:
        raise ValueError(f"the grader has no messages in {language!r}; it speaks: {', '.join(LANGUAGES)}")
    return language


def process_language() -> str:
    """The language of this process's messages: the judge's job's, which `grading.runner` puts in its
    environment (English where nothing set it)."""
    return checked(os.environ.get(LANGUAGE_VARIABLE) or ENGLISH)


def say(message: Message, /, **values: object) -> str:
    """`message` in this process's language (`process_language`): for the judge and the student side."""
    return message.text(process_language(), **values)


# --- a test cell's verdict (grading.judge) --------------------------------------------------------

YOUR_ANSWER = Message("your answer", "답안")
TIMED_OUT = Message(
    "{subject} did not finish within the time limit ({seconds:g} s); the grader stopped it. Look for a loop "
    "that never ends.",
    "{subject}: 시간 제한({seconds:g}초) 안에 끝나지 않아 채점기가 멈췄습니다. 끝나지 않는 반복문이 있는지 찾아보세요.",
)
TIMED_OUT_EARLIER = Message(
    " (It ran out of time in {where}, so the grader did not run it again.)",
    " ({where}에서 시간 제한을 넘겼으므로 채점기가 다시 실행하지 않았습니다.)",
)
CANNOT_BE_TESTED = Message(
    "{subject} could not be tested: {reason}. (A call to os._exit or sys.exit, a crash, or more memory than "
    "the limit of {memory_mb} MB.)",
    "{subject}을(를) 테스트할 수 없었습니다: {reason}. (os._exit나 sys.exit 호출, 비정상 종료, 또는 메모리 "
    "제한 {memory_mb} MB를 넘는 사용 때문입니다.)",
)
NOT_DEFINED = Message(
    "{name} is not defined: your notebook must define it, and its answer cell must run without an error.",
    "{name}이(가) 정의되지 않았습니다. 노트북에서 정의해야 하며, 그 답안 셀이 오류 없이 실행되어야 합니다.",
)
RAISED_IN_HIDDEN_TEST = Message(
    "{subject} raised {error} in a hidden test.",
    "{subject}에서 비공개 테스트 중에 {error}이(가) 발생했습니다.",
)
RAISED = Message("{subject} raised {error}: {message}", "{subject}에서 {error}이(가) 발생했습니다: {message}")
HIDDEN_CHECK_FAILED = Message(
    "hidden check {number} for {subject} failed ({error}).",
    "{subject}의 비공개 검사 {number} 실패({error}).",
)
IN_THE_CHECK = Message("\n  in the check: {line}", "\n  확인 코드: {line}")
TEST_UNREADABLE = Message(
    "the test cell could not be read (a problem of the test, line {line}); ask your instructor.",
    "테스트 셀을 읽을 수 없었습니다(테스트의 문제, {line}번째 줄). 강사에게 문의하세요.",
)
TEST_STOPPED_GRADER = Message(
    "the test cell stopped the grader (an error in the test)",
    "테스트 셀이 채점기를 멈췄습니다(테스트의 오류)",
)
TEST_NOT_RUN_NO_PROCESS = Message(
    "not run: the student process could not be restarted.",
    "실행하지 않았습니다. 학생 프로세스를 다시 시작할 수 없었습니다.",
)

# --- a cell of the submission that did not finish (grading.judge) ---------------------------------

CELL_NUMBER = Message("cell [{number}]", "셀 [{number}]")
OUTPUT_CUT = Message(
    "\n[... cut: the grader keeps {count} characters of output here]\n",
    "\n[... 잘림: 채점기는 여기에서 출력을 {count}자까지만 남깁니다]\n",
)

CELL_TIMED_OUT = Message(
    "This cell did not finish within the time limit ({seconds:g} s). The grader stopped it and went on "
    "without it.{running}",
    "이 셀은 시간 제한({seconds:g}초) 안에 끝나지 않았습니다. 채점기가 이 셀을 멈추고 이 셀 없이 계속 "
    "진행했습니다.{running}",
)
WAS_RUNNING = Message(
    " ({names} was running: later calls to it fail at once.)",
    " ({names}이(가) 실행 중이었습니다. 이후의 호출은 곧바로 실패합니다.)",
)
CELL_NOT_RUN = Message(
    "This cell was not run: the notebook's cells used up their time ({seconds:g} s) before it.",
    "이 셀은 실행하지 않았습니다. 이 셀에 이르기 전에 노트북의 셀들이 주어진 시간({seconds:g}초)을 다 썼습니다.",
)
CELL_STOPPED_PROCESS = Message(
    "This cell stopped the student process ({reason}). The grader went on without it; a cell may not call "
    "os._exit or sys.exit, or use more than {memory_mb} MB.",
    "이 셀이 학생 프로세스를 멈췄습니다({reason}). 채점기는 이 셀 없이 계속 진행했습니다. 셀에서 os._exit나 "
    "sys.exit를 호출하거나 {memory_mb} MB보다 많은 메모리를 쓰면 안 됩니다.",
)
NO_RESTART = Message("the student process could not be restarted", "학생 프로세스를 다시 시작할 수 없었습니다")
RESTARTED = Message(
    "The student process stopped between cells; it was restarted and the cells before were run again.",
    "셀과 셀 사이에 학생 프로세스가 멈췄습니다. 프로세스를 다시 시작하고 앞의 셀들을 다시 실행했습니다.",
)
NOT_STARTED = Message(
    "The student process could not be started: {reason}",
    "학생 프로세스를 시작할 수 없었습니다: {reason}",
)

# --- why a student process stopped (grading.remote) -----------------------------------------------

EXITED = Message(
    "the student process exited with status {status} (os._exit or a crash)",
    "학생 프로세스가 상태 {status}로 종료되었습니다(os._exit 또는 비정상 종료)",
)
KILLED = Message(
    "the student process was killed (it may have run out of memory)",
    "학생 프로세스가 강제로 종료되었습니다(메모리가 부족했을 수 있습니다)",
)
CRASHED = Message("the student process crashed ({signal})", "학생 프로세스가 비정상 종료되었습니다({signal})")
STOPPED = Message(
    "the student process stopped (os._exit, a crash, or the memory limit)",
    "학생 프로세스가 멈췄습니다(os._exit, 비정상 종료 또는 메모리 제한)",
)
PROCESS_STOPPED = Message("the student process stopped", "학생 프로세스가 멈췄습니다")
CELL_NOT_RUN_BY_PROCESS = Message(
    "the student process did not run the cell", "학생 프로세스가 셀을 실행하지 않았습니다"
)
HIDDEN_EXCEPTION_MESSAGE = Message(
    "(its message is not shown in a hidden test)", "(비공개 테스트에서는 메시지를 보여 주지 않습니다)"
)
# A student side that breaks the grader's protocol (a submission that rewrote it, or a grader fault).
MALFORMED_REPLY = Message("it sent a malformed reply", "형식이 잘못된 응답을 보냈습니다")
UNEXPECTED_REPLY = Message("it sent an unexpected reply", "예상하지 못한 응답을 보냈습니다")
VALUE_REFUSED = Message(
    "it sent a value the grader does not accept ({error})", "채점기가 받아들이지 않는 값을 보냈습니다({error})"
)
CHANGE_REFUSED = Message(
    "it reported a change the grader cannot apply ({error})", "채점기가 적용할 수 없는 변경을 알렸습니다({error})"
)
ARGUMENTS_MISDESCRIBED = Message("it described its arguments incorrectly", "인자를 잘못 설명했습니다")
EXCEPTION_MISDESCRIBED = Message(
    "the student process described an exception incorrectly", "학생 프로세스가 예외를 잘못 설명했습니다"
)
OBJECT_GONE = Message("the student object is no longer available", "학생 코드의 객체를 더 이상 쓸 수 없습니다")
FUNCTION_GONE = Message("the student function is no longer available", "학생 코드의 함수를 더 이상 쓸 수 없습니다")
DID_NOT_FORK = Message("the student process did not fork", "학생 프로세스가 fork하지 않았습니다")
FORK_DID_NOT_START = Message("the forked student process did not start", "fork한 학생 프로세스가 시작되지 않았습니다")

# --- the judge as a whole (grading.runner), and the graded notebook (grading.nbgrader_plugins) -----

JUDGE_OUT_OF_TIME = Message("the judge did not finish in time", "채점기가 제시간에 끝나지 않았습니다")
JUDGE_FAILED = Message("the judge failed: {detail}", "채점기가 실패했습니다: {detail}")
TEST_NOT_RUN = Message("this test was not run", "이 테스트는 실행하지 않았습니다")
TEST_FAILED = Message("this test failed", "이 테스트는 실패했습니다")
HIDDEN_TESTS_NOT_SHOWN = Message(
    "# (hidden tests are not shown; a failed one is named in the output below)",
    "# (비공개 테스트는 보여 주지 않습니다. 실패한 테스트는 아래 출력에 이름이 나옵니다)",
)
UNSANDBOXED_TITLE = Message("**Graded without a sandbox**", "**샌드박스 없이 채점됨**")
UNSANDBOXED_NOTE = Message(
    sandbox.UNSANDBOXED_NOTE,  # its English is the records' (the sandbox's side of grading imports nothing)
    "이 점수는 샌드박스 없이(--no-sandbox) 매겨졌습니다. 제출물의 코드가 채점기의 파일을 읽고 쓰고 네트워크를 "
    "쓸 수 있었습니다.",
)

# --- the grading notes: what was wrong with a submission's structure (grading.plan) -----------------

GRADING_NOTES = Message("**Grading notes**", "**채점 메모**")
NO_ANSWER_CELL = Message(
    "# (The submission has no answer cell with this id; see the grading notes.)\n",
    "# (제출물에 이 ID의 답안 셀이 없습니다. 채점 메모를 보세요.)\n",
)
NOT_UTF8 = Message(
    "The notebook file could not be read: it is not UTF-8 text (byte {byte}).",
    "노트북 파일을 읽을 수 없었습니다. UTF-8 텍스트가 아닙니다({byte}번째 바이트).",
)
INVALID_JSON = Message(
    "The notebook file is not valid JSON (line {line}, column {column}: {error}), so no answer could be read "
    "from it. It may have been damaged while saving or uploading; a re-submission can be graded.",
    "노트북 파일이 올바른 JSON이 아니어서({line}번째 줄, {column}번째 열: {error}) 답안을 하나도 읽을 수 "
    "없었습니다. 저장하거나 올리는 동안 손상되었을 수 있습니다. 다시 제출하면 채점할 수 있습니다.",
)
JSON_NOT_A_NOTEBOOK = Message(
    "The file is JSON but not a Jupyter notebook (it has no cells).",
    "파일이 JSON이지만 Jupyter 노트북이 아닙니다(셀이 없습니다).",
)
OLD_FORMAT = Message(
    "The notebook was in the old format 3; it was converted.", "노트북이 예전 형식 3이어서 새 형식으로 바꿨습니다."
)
UNREADABLE_OLD_FORMAT = Message(
    "The notebook is in an old format that could not be read.", "노트북이 읽을 수 없는 예전 형식입니다."
)
DAMAGED_CELL = Message("Cell {number} is damaged and was ignored.", "{number}번째 셀이 손상되어 무시했습니다.")
WRONG_NOTEBOOK = Message(
    "This is not the {notebook} notebook: none of its graded cells are here. It looks like {guess}; was the "
    "wrong file submitted?",
    "이 파일은 {notebook} 노트북이 아닙니다. 이 노트북의 채점 셀이 하나도 없습니다. {guess}처럼 보이는데, "
    "다른 파일을 제출하지 않았나요?",
)
EXPECTED_NOTEBOOK = Message("expected", "제출해야 할")  # WRONG_NOTEBOOK's {notebook} when it has no name
EMPTY_NOTEBOOK = Message("The notebook is empty.", "노트북이 비어 있습니다.")
NO_GRADED_CELLS = Message(
    "None of the notebook's graded cells were found in the submission; its code was run as it is.",
    "제출물에서 이 노트북의 채점 셀을 하나도 찾지 못했습니다. 제출물의 코드를 있는 그대로 실행했습니다.",
)
DUPLICATE_CELL = Message("Cell {cell} appears {count} times: {what}.", "{cell} 셀이 {count}번 나옵니다. {what}.")
DUPLICATE_ANSWER = Message(
    "the copies ran in order, the last one counts", "사본들을 차례로 실행했고, 마지막 사본이 채점됩니다"
)
DUPLICATE_READ_ONLY = Message(
    "the original was used; the copies ran as your own cells",
    "원래 셀을 사용했고, 사본들은 여러분이 만든 셀로 실행했습니다",
)
ID_NOT_TEXT = Message(
    "Cell {number} has an nbgrader id that is not text; it ran as an ordinary cell of yours.",
    "{number}번째 셀의 nbgrader ID가 텍스트가 아닙니다. 여러분이 만든 일반 셀로 실행했습니다.",
)
UNKNOWN_ID = Message(
    "A cell has the id {grade_id!r}, which this notebook does not have (was its id changed?); it ran as an "
    "ordinary cell of yours.",
    "어떤 셀의 ID가 {grade_id!r}인데, 이 노트북에는 그런 ID가 없습니다(ID를 바꾸었나요?). 여러분이 만든 일반 "
    "셀로 실행했습니다.",
)
OTHER_KERNEL = Message(
    "The notebook asked for the kernel {asked!r}; it was graded with {used}.",
    "노트북은 {asked!r} 커널을 요청했지만 {used}(으)로 채점했습니다.",
)
MISSING_ANSWER = Message(
    "The answer cell {cell} is missing. Any code of yours elsewhere in the notebook still ran, so a function "
    "defined in another cell was still tested.",
    "답안 셀 {cell}이(가) 없습니다. 노트북의 다른 곳에 있는 여러분의 코드는 그대로 실행했으므로, 다른 셀에서 "
    "정의한 함수는 테스트했습니다.",
)
ANSWER_NOT_CODE = Message(
    "The answer cell {cell} was turned into a {kind} cell; its text was run as code.",
    "답안 셀 {cell}이(가) {kind} 셀로 바뀌어 있었습니다. 그 텍스트를 코드로 실행했습니다.",
)
SETTINGS_CHANGED = Message(
    "The nbgrader settings of answer cell {cell} were changed; they were restored.",
    "답안 셀 {cell}의 nbgrader 설정이 바뀌어 있어 원래대로 되돌렸습니다.",
)
READ_ONLY_MISSING = Message(
    "The read-only cell {cell} was missing; it was restored from the assignment.",
    "읽기 전용 셀 {cell}이(가) 없어서 과제의 셀로 되살렸습니다.",
)
READ_ONLY_CHANGED = Message(
    "The read-only cell {cell} was changed; it was restored from the assignment.",
    "읽기 전용 셀 {cell}이(가) 바뀌어 있어 과제의 셀로 되돌렸습니다.",
)


def every_language(message: Message, /, **values: object) -> dict[str, str]:
    """`{language: the sentence}` for each language; a value that is itself a `Message` is said in the same
    language (a part of the sentence that varies)."""
    return {
        language: message.text(
            language, **{k: v.text(language) if isinstance(v, Message) else v for k, v in values.items()}
        )
        for language in LANGUAGES
    }


def catalogue() -> dict[str, Message]:
    """Every message of this module, by name (for the tests that hold the table to its rules)."""
    return {name: value for name, value in globals().items() if isinstance(value, Message)}
