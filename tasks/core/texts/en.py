"""English: every text of the documents, and the fallback for languages without their own table."""

ENGLISH: dict[str, str] = {
    # shared
    "none": "none",
    "none_recorded": "none recorded",
    "of_n": "{count} of n={n}",
    "undefined": "n/a",
    "and": "and",
    "unknown": "unknown",
    "column.category": "Category",
    "column.category_name": "Category name",
    "column.code": "Code",
    "column.code_name": "Code name",
    "column.respondents": "Respondents",
    "column.participants": "Participants",
    "column.n": "n",
    "column.share": "Share",
    "column.segments": "Segments",
    "column.segment_id": "Segment",
    "column.respondent_id": "Respondent id",
    "column.text": "Text",
    "column.respondent": "Respondent number",
    "column.rank": "Rank",
    "column.attribute": "Attribute",
    "column.value": "Value",
    "column.question_id": "Question",
    "column.phase": "Phase",
    "column.topic": "Topic",
    "column.reason": "Reason",
    "column.percent_agreement": "Percent agreement",
    "column.kappa": "Cohen's kappa",
    "column.alpha": "Krippendorff's alpha",
    "column.disagreements": "Segments in disagreement",
    "phase.before": "before",
    "phase.now": "now",
    "decision.approved": "approved",
    "decision.approved_with_changes": "approved with changes",
    "decision.declined": "declined",
    # results.xlsx sheets (at most 31 characters)
    "sheet.code_frequencies": "Code frequencies",
    "sheet.code_by_respondent": "Codes by respondent",
    "sheet.quotes": "Quotes",
    "sheet.by_attribute": "By attribute",
    "sheet.by_question": "By question",
    "sheet.by_phase": "By phase",
    "sheet.left_out": "Left out",
    # figures
    "figure.frequency_title": "Codes by number of respondents",
    "figure.frequency_axis": "respondents (of n={n})",
    "figure.heatmap_title": "Codes in the same segment",
    "figure.heatmap_unit": "segments",
    # report.docx
    "report.title": "Results: {title}",
    "report.method": "Method",
    "report.n": (
        "n = {n} respondents: consent recorded, transcript approved in the member check, not withdrawn, "
        "open coding done."
    ),
    "report.recruitment": (
        "Recruitment: {contacted} contacted, {responded} responded. Channels of the respondents included: "
        "{channels}. Interview mode: {modes}."
    ),
    "report.held": "Interviews held from {first} to {last}.",
    "report.coding": (
        "Coding in three phases (open, axial, selective coding) with a codebook of {categories} categories "
        "and {codes} codes; {coders} coder(s). Counts say how many of the n respondents said something "
        "coded with each code."
    ),
    "report.pseudonymised": (
        "Pseudonymisation ({language}): {texts} quote(s) were pseudonymised before publication, in this order: "
        "the values of recruitment.csv's personal columns; names, places and organisations found by {detector}"
        "{capitals}; every form of each known name (its parts, after a title, possessive, inflected, a town's "
        "adjective and inhabitants); the names the researcher added to the key file. Replaced: {kinds}. Each "
        "replacement is listed for the researcher to check in {review}."
    ),
    "report.pseudonymised.capitals": " and capitalised words that do not start a sentence",
    "report.pseudonymised.fallback": "{detector}, an English model used as a fallback for this language",
    "report.pseudonymised.none": "nothing",
    "report.left_out": "Respondents left out",
    "report.nobody_left_out": "None.",
    "report.core": "Core category",
    "report.core_is": "Core category: {name}. {evidence}.",
    "report.others": "Other categories, by their connection to the core: {names}.",
    "report.per_category": "Results per category",
    "report.quote": 'Respondent {number}: "{text}"',
    "report.also_under": "(also under {codes})",
    "report.by_attribute": "By respondent attribute",
    "report.too_many_values": "{count} different values; see results.xlsx (sheet {sheet}).",
    "report.value_n": "{value} (n={n})",
    "report.phases": "Expectations and now",
    "report.phases_intro": "Respondents per code in answers to the 'before' and the 'now' questions.",
    "report.before": "Before",
    "report.now": "Now",
    "report.figures": "Figures",
    "report.figure_frequencies": "Figure 1. Respondents per code.",
    "report.figure_heatmap": "Figure 2. Codes in the same segment (axial coding).",
    # the core category's evidence (selective coding) and why respondents were left out (the engine)
    "evidence.configured": "set as core_category in config/codebook.yaml",
    "evidence.differs": "{configured}; by the data the most connected category is {name} ({reason})",
    "evidence.proposed": "proposed as the most connected category: {reason}",
    "evidence.reason": "{segments} segments shared with {linked} other categories, {relations} codebook relations",
    "reason.withdrawn": "withdrawn on {date}",
    "reason.declined": "declined at review on {date}",
    "reason.no_consent_for": "no consent for {what}",
    "reason.no_consent": "no consent ({state}); the recording is not opened",
    "reason.stage": "{stage} is {status}",
    "consent.recording": "recording",
    "consent.transcription": "transcription",
    "consent.refused": "refused",
    "consent.withdrawn": "withdrawn",
    "consent.missing": "missing",
    "stage.recruitment": "recruitment",
    "stage.consent": "consent",
    "stage.transcription": "transcription",
    "stage.review": "review",
    "stage.open_coding": "open coding",
    "status.waiting": "waiting",
    "status.failed": "failed",
    "status.pending": "pending",
    "status.blocked": "blocked",
    "status.excluded": "excluded",
    # the report's rigour sections
    "agreement.heading": "Intercoder agreement",
    "agreement.none": "No transcript was coded by two coders; no agreement computed.",
    "agreement.intro": (
        "Coded independently by two coders: {coverage} ({segments} segments). Each segment × code is one "
        "unit (coded or not; nominal). Per code and over all codes used: percent agreement, Cohen's kappa "
        "and Krippendorff's alpha."
    ),
    "agreement.coverage": "{double} of {coded} coded respondents coded by two coders",
    "agreement.more_coders": "; more than two coders, left out: {ids}",
    "agreement.all_codes": "All codes used ({count})",
    "agreement.more": " and {count} more",
    "agreement.footnote": (
        "{undefined}: undefined, because there is no variation to agree on (neither coder used the code, "
        "or both gave it to every segment). Both coders' codes for every segment in disagreement are in "
        "agreement_disagreements.csv, for discussion; the table is in agreement.csv."
    ),
    "coreq.heading": "Methods appendix (COREQ)",
    "coreq.intro": (
        "The COREQ checklist (32 items), filled in from the study's records where they answer it, is in "
        "methods.docx beside this report; items marked in yellow there are for the researcher. Key facts:"
    ),
    # the report's key facts from the methods appendix
    "facts.participants": (
        "Participants: {interviews} interviews held, n = {n} in the analysis; {contacted} contacted, "
        "{responded} responded."
    ),
    "facts.withdrew": "Withdrew: {withdrawn}; withheld consent after reading the transcript: {declined}.",
    "facts.setting": "Setting: interview mode {modes}{held}.",
    "facts.held": "; interviews held between {first} and {last}",
    "facts.duration": "Duration: median {median} minutes, range {low}–{high}.",
    "facts.returned": "Transcripts returned to the participants (member check); decisions: {decisions}.",
    "facts.coders": "Coders: {count}. {agreement}",
    "facts.no_agreement": "No transcript was coded by two coders.",
    "facts.coreq_complete": "COREQ: all {total} items answered.",
    "facts.coreq_missing": (
        "COREQ: {answered} of {total} items answered; still to be completed: items {items} (the keys to fill are "
        "listed at the end of methods.docx)."
    ),
    "facts.quotes": (
        "Quotations are identified by participant number and segment id; {allowed} of {n} participants "
        "allowed quotation, {anonymity} asked for anonymity (names pseudonymised)."
    ),
    # methods.docx: the COREQ checklist
    "methods.title": "Methods appendix: COREQ checklist",
    "methods.intro": (
        "Study: {title}. Filled in by interview-study from the study's records and the methods section of "
        "config/study.yaml; passages marked in yellow are for the researcher to complete (listed at the end)."
    ),
    "methods.todo": "[TO BE COMPLETED BY THE RESEARCHER: {what}; fill in {keys}]",
    "methods.channels": "Interviewees by recruitment channel: {counts}.",
    "methods.contacted": "{contacted} people were contacted, {responded} responded.",
    "methods.size": "{interviews} interviews were held; {n} participants are in the analysis (n = {n}): {ids}.",
    "methods.none_yet": "none yet",
    "methods.no_response": "Did not respond to the invitation: {count}.",
    "methods.refused": "Refused recording or transcription: {ids}.",
    "methods.withdrew": "Withdrew (date): {ids}.",
    "methods.declined": "Withheld consent after reading the transcript (date): {ids}.",
    "methods.mode": "Interview mode: {counts}.",
    "methods.attribute": "{heading}: {counts}.",
    "methods.held": "Interviews held between {first} and {last}.",
    "methods.guide": "A semi-structured guide of {questions} on {topics} (config/interview_guide.yaml).",
    "methods.question": "{count} question",
    "methods.questions": "{count} questions",
    "methods.topic": "{count} topic",
    "methods.topics": "{count} topics",
    "methods.recording": "Interviews were audio-recorded with the participants' consent and transcribed verbatim.",
    "methods.software": (
        "interview-study (Prefect pipeline) with Whisper, {engines}: transcription, member check, coding "
        "and counts; the researcher corrected every transcript before coding."
    ),
    "methods.model": "{engine} (model {model})",
    "methods.no_durations": "No recording durations are recorded.",
    "methods.durations": "Recording length in minutes: median {median}, range {low}–{high} (n = {count}).",
    "methods.duration": "{id}: {minutes} min",
    "methods.returned": (
        "Transcripts were returned to the participants for comment and correction (member check). "
        "Decisions recorded: {counts}."
    ),
    "methods.coders": "Number of coders: {count}.",
    "methods.agreement": (
        "{respondents} transcript(s) were coded independently by two coders ({segments} segments, {codes} "
        "codes used): percent agreement {percent}, Cohen's kappa {kappa}, Krippendorff's alpha {alpha} "
        "(segment × code, nominal); per code in agreement.csv."
    ),
    "methods.quotes": (
        "Quotations are identified by segment id (participant number and segment number, e.g. R01-0004). "
        "{allowed} of {n} participants allowed quotation; {anonymity} asked for anonymity, and names, places "
        "and organisations in their quotes are pseudonymised."
    ),
    "methods.core": "Core category (selective coding): {name}.",
    "methods.no_core": "No core category set.",
    "methods.minor": "Codes given by at most {limit} of n = {n} participants, with who gave them: {codes}.",
    "methods.no_minor": "No code was given by only {limit} of n = {n} participants or fewer.",
    "methods.completeness": "Completeness",
    "methods.answered": (
        "{answered} of {total} items are answered: {records} from the records, {config} from config/study.yaml "
        "(methods) and {both} from both."
    ),
    "methods.missing": (
        "Still to be completed: fill in these keys in the methods section of config/study.yaml (the template "
        "of interview-study init explains each), then run interview-study aggregate."
    ),
    "methods.missing_item": "{number}. {item}: {keys}",
    "coreq.domain.1": "Domain 1: Research team and reflexivity",
    "coreq.domain.2": "Domain 2: Study design",
    "coreq.domain.3": "Domain 3: Analysis and findings",
    "coreq.1": "Interviewer/facilitator",
    "coreq.2": "Credentials",
    "coreq.3": "Occupation",
    "coreq.4": "Gender",
    "coreq.5": "Experience and training",
    "coreq.6": "Relationship established",
    "coreq.7": "Participant knowledge of the interviewer",
    "coreq.8": "Interviewer characteristics",
    "coreq.9": "Methodological orientation and theory",
    "coreq.10": "Sampling",
    "coreq.11": "Method of approach",
    "coreq.12": "Sample size",
    "coreq.13": "Non-participation",
    "coreq.14": "Setting of data collection",
    "coreq.15": "Presence of non-participants",
    "coreq.16": "Description of sample",
    "coreq.17": "Interview guide",
    "coreq.18": "Repeat interviews",
    "coreq.19": "Audio/visual recording",
    "coreq.20": "Field notes",
    "coreq.21": "Duration",
    "coreq.22": "Data saturation",
    "coreq.23": "Transcripts returned",
    "coreq.24": "Number of data coders",
    "coreq.25": "Description of the coding tree",
    "coreq.26": "Derivation of themes",
    "coreq.27": "Software",
    "coreq.28": "Participant checking",
    "coreq.29": "Quotations presented",
    "coreq.30": "Data and findings consistent",
    "coreq.31": "Clarity of major themes",
    "coreq.32": "Clarity of minor themes",
    "coreq.todo.1": "which author conducted the interviews (initials)",
    "coreq.todo.2": "the researcher's credentials (e.g. MSc)",
    "coreq.todo.3": "the researcher's occupation at the time of the study",
    "coreq.todo.4": "the researcher's gender",
    "coreq.todo.5": "the researcher's experience or training in qualitative interviewing",
    "coreq.todo.6": "whether a relationship existed with participants before the study",
    "coreq.todo.7": "what participants knew about the researcher and the goals",
    "coreq.todo.8": "bias, assumptions, reasons and interests in the topic",
    "coreq.todo.9": "orientation (e.g. phenomenology) and coding approach",
    "coreq.todo.10": "how participants were selected (purposive, convenience, snowball)",
    "coreq.todo.11": "how the invitation was worded and sent (face-to-face, telephone, mail, e-mail)",
    "coreq.todo.13": "reasons for non-participation or withdrawal, where participants gave them",
    "coreq.todo.14": "where the interviews took place (workplace, home, video platform)",
    "coreq.todo.15": "whether anyone else was present during the interviews",
    "coreq.todo.17": "whether the guide was provided in advance and pilot tested",
    "coreq.todo.18": "whether repeat interviews were carried out",
    "coreq.todo.20": "whether field notes were made during or after the interviews",
    "coreq.todo.22": "whether and how data saturation was discussed",
    "coreq.todo.26": "whether themes were identified in advance or derived from the data",
    "coreq.todo.28": "whether participants gave feedback on the findings",
    "coreq.todo.30": "the consistency between the data presented and the findings",
    "coreq.todo.31": "how the major themes are presented in the findings",
    "coreq.todo.32": "how diverse cases and minor themes are described",
    # the review document
    "review.heading": "Transcript for your review",
    "review.segment": "Segment (do not change)",
    "review.time": "Time",
    "review.speaker": "Speaker",
    "review.text": "Text",
    "review.cover": (
        "Dear {name},\n\nThank you for the interview. Below is the transcript of our conversation. "
        "Please read it by {due_date}. You may correct, strike or comment on any passage (Word's track "
        "changes and comments are welcome); please do not change the segment numbers in the first column.\n\n"
        "You may also withhold your consent for the use of this transcript: then simply tell me so."
    ),
    "review.flagged": "Rows in yellow may have been misheard (a repeated phrase, words over silence, or words the transcription was unsure of): please read those first.",
    "review.speakers": (
        "The speaker column says who spoke each passage, as recognised from the recording; \"(?)\" marks "
        "a guess. If a speaker is wrong, write the right one (interviewer or respondent) in that cell."
    ),
    "speaker.interviewer": "interviewer",
    "speaker.respondent": "respondent",
    # the coding copy
    "coding.title": "Coding copy {rid}",
    "coding.instructions": (
        "Code this transcript with Word comments: select a segment's text, add a comment that names one or "
        "more codes (id or name from config/codebook.yaml, separated by commas) and save the file as "
        "codings/{rid}.docx. Do not change the segment ids in the first column."
    ),
    "coding.segment": "Segment",
    "coding.time": "Time",
    "coding.speaker": "Speaker",
    "coding.text": "Text",
}
