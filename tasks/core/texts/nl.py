"""Nederlands: elke tekst van de documenten (dezelfde sleutels en invulplaatsen als en.py)."""

DUTCH: dict[str, str] = {
    # gedeeld
    "none": "geen",
    "none_recorded": "niets vastgelegd",
    "of_n": "{count} van n={n}",
    "undefined": "n.v.t.",
    "and": "en",
    "unknown": "onbekend",
    "column.category": "Categorie",
    "column.category_name": "Naam categorie",
    "column.code": "Code",
    "column.code_name": "Naam code",
    "column.respondents": "Respondenten",
    "column.participants": "Deelnemers",
    "column.n": "n",
    "column.share": "Aandeel",
    "column.segments": "Segmenten",
    "column.segment_id": "Segment",
    "column.respondent_id": "Respondent-id",
    "column.text": "Tekst",
    "column.respondent": "Respondentnummer",
    "column.rank": "Rang",
    "column.attribute": "Kenmerk",
    "column.value": "Waarde",
    "column.question_id": "Vraag",
    "column.phase": "Fase",
    "column.topic": "Onderwerp",
    "column.reason": "Reden",
    "column.percent_agreement": "Percentage overeenstemming",
    "column.kappa": "Cohens kappa",
    "column.alpha": "Krippendorffs alfa",
    "column.disagreements": "Segmenten zonder overeenstemming",
    "phase.before": "vooraf",
    "phase.now": "nu",
    "decision.approved": "goedgekeurd",
    "decision.approved_with_changes": "goedgekeurd met wijzigingen",
    "decision.declined": "geweigerd",
    # bladen van results.xlsx (hooguit 31 tekens)
    "sheet.code_frequencies": "Codefrequenties",
    "sheet.code_by_respondent": "Codes per respondent",
    "sheet.quotes": "Citaten",
    "sheet.by_attribute": "Per kenmerk",
    "sheet.by_question": "Per vraag",
    "sheet.by_phase": "Per fase",
    "sheet.left_out": "Niet meegeteld",
    # figuren
    "figure.frequency_title": "Codes naar aantal respondenten",
    "figure.frequency_axis": "respondenten (van n={n})",
    "figure.heatmap_title": "Codes in hetzelfde segment",
    "figure.heatmap_unit": "segmenten",
    # report.docx
    "report.title": "Resultaten: {title}",
    "report.method": "Methode",
    "report.n": (
        "n = {n} respondenten: toestemming vastgelegd, transcript goedgekeurd bij de membercheck, niet "
        "teruggetrokken, open coderen afgerond."
    ),
    "report.recruitment": (
        "Werving: {contacted} benaderd, {responded} gereageerd. Wervingskanalen van de respondenten: "
        "{channels}. Vorm van het interview: {modes}."
    ),
    "report.held": "Interviews gehouden van {first} tot en met {last}.",
    "report.coding": (
        "Coderen in drie fasen (open, axiaal en selectief coderen) met een codeboek van {categories} "
        "categorieën en {codes} codes; {coders} codeur(s). De aantallen zeggen hoeveel van de n respondenten "
        "iets zeiden dat met de code is gecodeerd."
    ),
    "report.pseudonymised": (
        "Pseudonimisering ({language}): {texts} citaat/citaten zijn vóór publicatie gepseudonimiseerd, in deze "
        "volgorde: de waarden uit de persoonlijke kolommen van recruitment.csv; namen, plaatsen en organisaties "
        "gevonden door {detector}{capitals}; elke vorm van elke bekende naam (delen, na een titel, bezittelijk, "
        "verbogen, bijvoeglijk naamwoord en inwoners van een plaats); de namen die de onderzoeker aan het "
        "sleutelbestand toevoegde. Vervangen: {kinds}. Elke vervanging staat ter controle in {review}."
    ),
    "report.pseudonymised.capitals": " en woorden met een hoofdletter die geen zin beginnen",
    "report.pseudonymised.fallback": "{detector}, een Engels model als terugval voor deze taal",
    "report.pseudonymised.none": "niets",
    "report.left_out": "Niet meegetelde respondenten",
    "report.nobody_left_out": "Geen.",
    "report.core": "Kerncategorie",
    "report.core_is": "Kerncategorie: {name}. {evidence}.",
    "report.others": "Overige categorieën, naar hun verbinding met de kern: {names}.",
    "report.per_category": "Resultaten per categorie",
    "report.quote": 'Respondent {number}: "{text}"',
    "report.also_under": "(ook bij {codes})",
    "report.by_attribute": "Naar kenmerk van de respondent",
    "report.too_many_values": "{count} verschillende waarden; zie results.xlsx (blad {sheet}).",
    "report.value_n": "{value} (n={n})",
    "report.phases": "Verwachtingen en nu",
    "report.phases_intro": "Respondenten per code in de antwoorden op de vragen over vooraf en over nu.",
    "report.before": "Vooraf",
    "report.now": "Nu",
    "report.figures": "Figuren",
    "report.figure_frequencies": "Figuur 1. Respondenten per code.",
    "report.figure_heatmap": "Figuur 2. Codes in hetzelfde segment (axiaal coderen).",
    # onderbouwing van de kerncategorie (selectief coderen) en waarom respondenten niet meetellen
    "evidence.configured": "vastgelegd als core_category in config/codebook.yaml",
    "evidence.differs": "{configured}; volgens de data is {name} de meest verbonden categorie ({reason})",
    "evidence.proposed": "voorgesteld als de meest verbonden categorie: {reason}",
    "evidence.reason": "{segments} segmenten gedeeld met {linked} andere categorieën, {relations} relaties in het codeboek",
    "reason.withdrawn": "teruggetrokken op {date}",
    "reason.declined": "geweigerd bij de controle op {date}",
    "reason.no_consent_for": "geen toestemming voor {what}",
    "reason.no_consent": "geen toestemming ({state}); de opname is niet geopend",
    "reason.stage": "{stage}: {status}",
    "consent.recording": "opname",
    "consent.transcription": "transcriptie",
    "consent.refused": "geweigerd",
    "consent.withdrawn": "teruggetrokken",
    "consent.missing": "ontbreekt",
    "stage.recruitment": "werving",
    "stage.consent": "toestemming",
    "stage.transcription": "transcriptie",
    "stage.review": "controle door de respondent",
    "stage.open_coding": "open coderen",
    "status.waiting": "wacht",
    "status.failed": "mislukt",
    "status.pending": "nog te doen",
    "status.blocked": "geblokkeerd",
    "status.excluded": "uitgesloten",
    # de secties over betrouwbaarheid
    "agreement.heading": "Overeenstemming tussen codeurs",
    "agreement.none": "Geen transcript is door twee codeurs gecodeerd; er is geen overeenstemming berekend.",
    "agreement.intro": (
        "Onafhankelijk gecodeerd door twee codeurs: {coverage} ({segments} segmenten). Elke combinatie van "
        "segment en code is één eenheid (gecodeerd of niet; nominaal). Per code en over alle gebruikte codes: "
        "percentage overeenstemming, Cohens kappa en Krippendorffs alfa."
    ),
    "agreement.coverage": "{double} van {coded} gecodeerde respondenten door twee codeurs gecodeerd",
    "agreement.more_coders": "; meer dan twee codeurs, niet meegeteld: {ids}",
    "agreement.all_codes": "Alle gebruikte codes ({count})",
    "agreement.more": " en nog {count}",
    "agreement.footnote": (
        "{undefined}: niet gedefinieerd, omdat er geen variatie is om het over eens te zijn (geen van beide "
        "codeurs gebruikte de code, of beiden gaven haar aan elk segment). De codes van beide codeurs voor "
        "elk segment zonder overeenstemming staan ter bespreking in agreement_disagreements.csv; de tabel "
        "staat in agreement.csv."
    ),
    "coreq.heading": "Methodologische bijlage (COREQ)",
    "coreq.intro": (
        "De COREQ-checklist (32 items), ingevuld uit de administratie van het onderzoek waar die het antwoord "
        "geeft, staat in methods.docx naast dit rapport; de geel gemarkeerde items daarin vult de onderzoeker "
        "aan. De belangrijkste feiten:"
    ),
    "facts.participants": (
        "Deelnemers: {interviews} interviews gehouden, n = {n} in de analyse; {contacted} benaderd, "
        "{responded} gereageerd."
    ),
    "facts.withdrew": "Teruggetrokken: {withdrawn}; toestemming geweigerd na het lezen van het transcript: {declined}.",
    "facts.setting": "Setting: vorm van het interview {modes}{held}.",
    "facts.held": "; interviews gehouden tussen {first} en {last}",
    "facts.duration": "Duur: mediaan {median} minuten, spreiding {low}–{high}.",
    "facts.returned": "Transcripten voorgelegd aan de deelnemers (membercheck); besluiten: {decisions}.",
    "facts.coders": "Codeurs: {count}. {agreement}",
    "facts.no_agreement": "Geen transcript is door twee codeurs gecodeerd.",
    "facts.coreq_complete": "COREQ: alle {total} items beantwoord.",
    "facts.coreq_missing": (
        "COREQ: {answered} van de {total} items beantwoord; nog in te vullen: items {items} (de sleutels staan "
        "aan het eind van methods.docx)."
    ),
    "facts.quotes": (
        "Citaten worden aangeduid met het nummer van de deelnemer en het segment; {allowed} van {n} deelnemers "
        "gaven toestemming voor citaten, {anonymity} vroegen om anonimiteit (namen gepseudonimiseerd)."
    ),
    # methods.docx: de COREQ-checklist
    "methods.title": "Methodologische bijlage: COREQ-checklist",
    "methods.intro": (
        "Onderzoek: {title}. Ingevuld door interview-study uit de administratie van het onderzoek en het "
        "onderdeel methods van config/study.yaml; de geel gemarkeerde passages vult de onderzoeker aan "
        "(opgesomd aan het eind)."
    ),
    "methods.todo": "[IN TE VULLEN DOOR DE ONDERZOEKER: {what}; vul {keys} in]",
    "methods.channels": "Geïnterviewden per wervingskanaal: {counts}.",
    "methods.contacted": "{contacted} mensen zijn benaderd, {responded} hebben gereageerd.",
    "methods.size": "Er zijn {interviews} interviews gehouden; {n} deelnemers zijn in de analyse (n = {n}): {ids}.",
    "methods.none_yet": "nog geen",
    "methods.no_response": "Niet gereageerd op de uitnodiging: {count}.",
    "methods.refused": "Opname of transcriptie geweigerd: {ids}.",
    "methods.withdrew": "Teruggetrokken (datum): {ids}.",
    "methods.declined": "Toestemming geweigerd na het lezen van het transcript (datum): {ids}.",
    "methods.mode": "Vorm van het interview: {counts}.",
    "methods.attribute": "{heading}: {counts}.",
    "methods.held": "Interviews gehouden tussen {first} en {last}.",
    "methods.guide": "Een semigestructureerde leidraad van {questions} over {topics} (config/interview_guide.yaml).",
    "methods.question": "{count} vraag",
    "methods.questions": "{count} vragen",
    "methods.topic": "{count} onderwerp",
    "methods.topics": "{count} onderwerpen",
    "methods.recording": (
        "De interviews zijn met toestemming van de deelnemers opgenomen en woordelijk uitgeschreven."
    ),
    "methods.software": (
        "interview-study (een Prefect-pijplijn) met Whisper, {engines}: transcriptie, membercheck, coderen en "
        "tellen; elk transcript is vóór het coderen gecorrigeerd."
    ),
    "methods.model": "{engine} (model {model})",
    "methods.no_durations": "Er zijn geen opnameduren vastgelegd.",
    "methods.durations": "Duur van de opnamen in minuten: mediaan {median}, spreiding {low}–{high} (n = {count}).",
    "methods.duration": "{id}: {minutes} min",
    "methods.returned": (
        "De transcripten zijn aan de deelnemers voorgelegd voor commentaar en correctie (membercheck). "
        "Vastgelegde besluiten: {counts}."
    ),
    "methods.coders": "Aantal codeurs: {count}.",
    "methods.agreement": (
        "{respondents} transcript(en) zijn onafhankelijk door twee codeurs gecodeerd ({segments} segmenten, "
        "{codes} codes gebruikt): percentage overeenstemming {percent}, Cohens kappa {kappa}, Krippendorffs "
        "alfa {alpha} (segment × code, nominaal); per code in agreement.csv."
    ),
    "methods.quotes": (
        "Citaten worden aangeduid met het segmentnummer (nummer van de deelnemer en van het segment, "
        "bijvoorbeeld R01-0004). {allowed} van {n} deelnemers gaven toestemming voor citaten; {anonymity} "
        "vroegen om anonimiteit, en namen, plaatsen en organisaties in hun citaten zijn gepseudonimiseerd."
    ),
    "methods.core": "Kerncategorie (selectief coderen): {name}.",
    "methods.no_core": "Geen kerncategorie vastgelegd.",
    "methods.minor": "Codes die hooguit {limit} van n = {n} deelnemers kregen, met wie: {codes}.",
    "methods.no_minor": "Geen code is door slechts {limit} van n = {n} deelnemers of minder genoemd.",
    "methods.completeness": "Volledigheid",
    "methods.answered": (
        "{answered} van de {total} items zijn beantwoord: {records} uit de administratie, {config} uit "
        "config/study.yaml (methods) en {both} uit beide."
    ),
    "methods.missing": (
        "Nog in te vullen: vul deze sleutels in onder methods in config/study.yaml (het sjabloon van "
        "interview-study init licht ze toe) en draai daarna interview-study aggregate."
    ),
    "methods.missing_item": "{number}. {item}: {keys}",
    "coreq.domain.1": "Domein 1: Onderzoeksteam en reflexiviteit",
    "coreq.domain.2": "Domein 2: Onderzoeksopzet",
    "coreq.domain.3": "Domein 3: Analyse en bevindingen",
    "coreq.1": "Interviewer",
    "coreq.2": "Kwalificaties",
    "coreq.3": "Beroep",
    "coreq.4": "Gender",
    "coreq.5": "Ervaring en training",
    "coreq.6": "Bestaande relatie",
    "coreq.7": "Wat deelnemers wisten van de interviewer",
    "coreq.8": "Kenmerken van de interviewer",
    "coreq.9": "Methodologische oriëntatie en theorie",
    "coreq.10": "Steekproef",
    "coreq.11": "Wijze van benaderen",
    "coreq.12": "Omvang van de steekproef",
    "coreq.13": "Non-participatie",
    "coreq.14": "Setting van de dataverzameling",
    "coreq.15": "Aanwezigheid van anderen",
    "coreq.16": "Beschrijving van de steekproef",
    "coreq.17": "Interviewleidraad",
    "coreq.18": "Herhaalde interviews",
    "coreq.19": "Audio- of video-opname",
    "coreq.20": "Veldnotities",
    "coreq.21": "Duur",
    "coreq.22": "Dataverzadiging",
    "coreq.23": "Transcripten voorgelegd",
    "coreq.24": "Aantal codeurs",
    "coreq.25": "Beschrijving van de codeboom",
    "coreq.26": "Afleiding van thema's",
    "coreq.27": "Software",
    "coreq.28": "Controle door deelnemers",
    "coreq.29": "Weergegeven citaten",
    "coreq.30": "Consistentie van data en bevindingen",
    "coreq.31": "Helderheid van de hoofdthema's",
    "coreq.32": "Helderheid van de subthema's",
    "coreq.todo.1": "welke auteur de interviews heeft afgenomen (initialen)",
    "coreq.todo.2": "de kwalificaties van de onderzoeker (bijv. MSc)",
    "coreq.todo.3": "het beroep van de onderzoeker ten tijde van het onderzoek",
    "coreq.todo.4": "het gender van de onderzoeker",
    "coreq.todo.5": "de ervaring of training van de onderzoeker in kwalitatief interviewen",
    "coreq.todo.6": "of er vóór het onderzoek een relatie met de deelnemers bestond",
    "coreq.todo.7": "wat de deelnemers wisten over de onderzoeker en de doelen van het onderzoek",
    "coreq.todo.8": "vooringenomenheid, aannames, redenen en belangen bij het onderwerp",
    "coreq.todo.9": "de oriëntatie (bijv. fenomenologie) en de aanpak van het coderen",
    "coreq.todo.10": "hoe de deelnemers zijn geselecteerd (doelgericht, gemakshalve, sneeuwbal)",
    "coreq.todo.11": "hoe de uitnodiging was geformuleerd en verstuurd (persoonlijk, telefoon, post, e-mail)",
    "coreq.todo.13": "redenen voor niet-deelnemen of terugtrekken, waar deelnemers die gaven",
    "coreq.todo.14": "waar de interviews plaatsvonden (werkplek, thuis, videoplatform)",
    "coreq.todo.15": "of er tijdens de interviews iemand anders aanwezig was",
    "coreq.todo.17": "of de leidraad vooraf is gedeeld en getest",
    "coreq.todo.18": "of er herhaalde interviews zijn gehouden",
    "coreq.todo.20": "of er tijdens of na de interviews veldnotities zijn gemaakt",
    "coreq.todo.22": "of en hoe dataverzadiging is besproken",
    "coreq.todo.26": "of de thema's vooraf zijn bepaald of uit de data zijn afgeleid",
    "coreq.todo.28": "of de deelnemers feedback gaven op de bevindingen",
    "coreq.todo.30": "de consistentie tussen de gepresenteerde data en de bevindingen",
    "coreq.todo.31": "hoe de hoofdthema's in de bevindingen worden gepresenteerd",
    "coreq.todo.32": "hoe afwijkende gevallen en subthema's worden beschreven",
    # het controledocument voor de respondent
    "review.heading": "Transcript ter controle",
    "review.segment": "Segment (niet wijzigen)",
    "review.time": "Tijd",
    "review.speaker": "Spreker",
    "review.text": "Tekst",
    "review.cover": (
        "Beste {name},\n\nDank voor het interview. Hieronder staat de uitgeschreven tekst van ons gesprek. "
        "Wilt u die uiterlijk {due_date} lezen? U mag elke passage verbeteren, doorhalen of van commentaar "
        "voorzien (met 'Wijzigingen bijhouden' en opmerkingen in Word); wijzig alstublieft de segmentnummers "
        "in de eerste kolom niet.\n\nU mag ook uw toestemming voor het gebruik van dit transcript weigeren: "
        "laat het mij dan gewoon weten."
    ),
    "review.flagged": "Gele rijen zijn mogelijk verkeerd verstaan (een herhaalde zin, woorden over stilte of woorden waarover de transcriptie twijfelde): lees die alstublieft eerst.",
    "review.speakers": (
        "De kolom Spreker zegt wie elke passage uitsprak, zoals herkend uit de opname; \"(?)\" betekent "
        "dat het een gok is. Klopt een spreker niet, schrijf dan de juiste (interviewer of respondent) in die cel."
    ),
    "speaker.interviewer": "interviewer",
    "speaker.respondent": "respondent",
    # de codeerkopie
    "coding.title": "Codeerkopie {rid}",
    "coding.instructions": (
        "Codeer dit transcript met opmerkingen in Word: selecteer de tekst van een segment, voeg een opmerking "
        "toe die een of meer codes noemt (id of naam uit config/codebook.yaml, gescheiden door komma's) en "
        "sla het bestand op als codings/{rid}.docx. Wijzig de segmentnummers in de eerste kolom niet."
    ),
    "coding.segment": "Segment",
    "coding.time": "Tijd",
    "coding.speaker": "Spreker",
    "coding.text": "Tekst",
}
