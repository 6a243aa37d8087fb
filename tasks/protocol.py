"""The study protocol: the stages in the order a respondent moves through them, then the stages
over the whole study, and the study-level reports. Status, the flows, the work pool, withdrawal
and the tests read this one list; nothing finds a stage by its module's name.
"""

from __future__ import annotations

from tasks import (
    aggregation,
    axial_coding,
    consent,
    open_coding,
    recruitment,
    review,
    selective_coding,
    transcription,
)
from tasks.core.stage import Pipeline
from tasks.privacy.key import remove_rows

PROTOCOL = Pipeline(
    respondent=(
        recruitment.STAGE,
        consent.STAGE,
        transcription.STAGE,
        review.STAGE,
        open_coding.STAGE,
    ),
    study=(
        axial_coding.STAGE,
        selective_coding.STAGE,
        aggregation.STAGE,
    ),
    reports=(recruitment.REPORT, consent.REPORT),
    forget_hooks=(remove_rows,),  # a forgotten respondent's placeholders leave the key file too
)

STAGES = PROTOCOL.names
RESPONDENT_STAGES = PROTOCOL.respondent_names
STUDY_STAGES = PROTOCOL.study_names

# The engine bound to this protocol, for callers that name a stage (the CLI's --until, tests).
execute_respondent = PROTOCOL.execute_respondent
execute_study = PROTOCOL.execute_study
execute_report = PROTOCOL.execute_report
respondent_statuses = PROTOCOL.respondent_statuses
eligible_respondents = PROTOCOL.eligible
work_to_do = PROTOCOL.work_to_do
problems = PROTOCOL.problems
