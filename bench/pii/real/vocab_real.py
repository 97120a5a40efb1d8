"""Word lists and sentence pools of the real-schema set (bench/pii/real).

Languages: en, sv, nb, da, fi, pt, de, fr, nl. The English, German, French and Dutch
special-category lists of the first set (../vocab.py) are reused; the Nordic and Portuguese
ones are here. Free text is built from *ordinary* sentences (BASE: no person, no personal
data) and *mentions* (MENTION: one sentence carrying one category), so the generator knows
exactly which rows mention which category.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import vocab as V  # noqa: E402

CONDITIONS = {
    **{k: V.CONDITIONS[k] for k in ("en", "de", "fr", "nl")},
    "sv": ["typ 2-diabetes", "astma", "högt blodtryck", "depression", "epilepsi", "migrän",
           "reumatoid artrit", "KOL", "celiaki", "multipel skleros", "hiv-positiv", "bröstcancer",
           "Crohns sjukdom", "generaliserat ångestsyndrom", "förmaksflimmer", "hypotyreos"],
    "nb": ["diabetes type 2", "astma", "høyt blodtrykk", "depresjon", "epilepsi", "migrene",
           "revmatoid artritt", "KOLS", "cøliaki", "multippel sklerose", "hiv-positiv", "brystkreft",
           "Crohns sykdom", "angstlidelse", "atrieflimmer", "hypotyreose", "hjerteinfarkt"],
    "da": ["type 2-diabetes", "astma", "forhøjet blodtryk", "depression", "epilepsi", "migræne",
           "leddegigt", "KOL", "cøliaki", "sklerose", "hiv-positiv", "brystkræft", "angst"],
    "fi": ["tyypin 2 diabetes", "astma", "verenpainetauti", "masennus", "epilepsia", "migreeni",
           "nivelreuma", "keuhkoahtaumatauti", "keliakia", "MS-tauti", "HIV-positiivinen",
           "rintasyöpä", "Crohnin tauti", "ahdistuneisuushäiriö", "eteisvärinä", "kilpirauhasen vajaatoiminta"],
    "pt": ["diabetes tipo 2", "asma", "hipertensão arterial", "depressão", "epilepsia", "enxaqueca",
           "artrite reumatoide", "DPOC", "doença celíaca", "esclerose múltipla", "VIH positivo",
           "cancro da mama", "doença de Crohn", "perturbação de ansiedade", "hipotiroidismo", "hérnia discal"],
}
SYMPTOMS = {
    **{k: V.SYMPTOMS[k] for k in ("en", "de", "fr", "nl")},
    "sv": ["bröstsmärta", "andfåddhet", "huvudvärk", "trötthet", "yrsel", "ledsmärta"],
    "nb": ["brystsmerter", "tungpustethet", "hodepine", "tretthet", "svimmelhet", "leddsmerter"],
    "da": ["brystsmerter", "åndenød", "hovedpine", "træthed", "svimmelhed"],
    "fi": ["rintakipu", "hengenahdistus", "päänsärky", "väsymys", "huimaus", "nivelkipu"],
    "pt": ["dor torácica", "falta de ar", "cefaleia", "cansaço", "tonturas", "dores articulares"],
}
MEDICATIONS = V.MEDICATIONS
DOSES = V.DOSES
FREQ = {
    **{k: V.FREQ[k] for k in ("en", "de", "fr", "nl")},
    "sv": ["1 gång dagligen", "2 gånger dagligen", "vid behov", "till natten"],
    "nb": ["1 gang daglig", "2 ganger daglig", "ved behov", "om kvelden"],
    "da": ["1 gang dagligt", "2 gange dagligt", "efter behov"],
    "fi": ["kerran päivässä", "kahdesti päivässä", "tarvittaessa", "iltaisin"],
    "pt": ["1x/dia", "2x/dia", "em SOS", "à noite"],
}
ALLERGIES = {"en": V.ALLERGIES["en"], "de": V.ALLERGIES["de"], "fr": V.ALLERGIES["fr"], "nl": V.ALLERGIES["nl"],
             "nb": ["penicillinallergi", "nøtteallergi", "laktoseintoleranse", "latexallergi"],
             "fi": ["penisilliiniallergia", "pähkinäallergia", "laktoosi-intoleranssi"],
             "pt": ["alergia à penicilina", "alergia a frutos secos", "intolerância à lactose"]}
RELIGIONS = {
    "en": V.RELIGIONS["en"], "de": V.RELIGIONS["de"], "fr": V.RELIGIONS["fr"], "nl": V.RELIGIONS["nl"],
    "sv": ["Svenska kyrkan", "katolik", "muslim", "judisk", "ortodox", "pingstförsamlingen", "ateist"],
    "nb": ["Den norske kirke", "katolsk", "muslim", "jødisk", "pinsemenigheten", "humanetiker"],
    "da": ["folkekirken", "katolik", "muslim", "jødisk", "Jehovas Vidner", "ateist"],
    "fi": ["evankelis-luterilainen", "ortodoksi", "katolinen", "muslimi", "helluntaiseurakunta", "uskonnoton"],
    "pt": ["católico", "evangélico", "muçulmano", "judeu", "testemunha de Jeová", "espírita", "sem religião"],
}
UNIONS = {
    "en": ["Unite", "UNISON", "GMB", "the Teamsters", "SEIU", "the Royal College of Nursing", "Usdaw"],
    "de": ["ver.di", "IG Metall", "GEW", "IG BCE", "NGG", "EVG"],
    "fr": ["la CGT", "la CFDT", "FO", "la CFE-CGC", "SUD", "l'UNSA"],
    "nl": ["FNV", "CNV", "De Unie", "AVV"],
    "sv": ["Kommunal", "IF Metall", "Unionen", "Vision", "Lärarförbundet", "Handels"],
    "nb": ["Fagforbundet", "Fellesforbundet", "NTL", "Delta", "Utdanningsforbundet"],
    "da": ["3F", "HK", "FOA", "Dansk Metal", "Krifa"],
    "fi": ["JHL", "Teollisuusliitto", "PAM", "Tehy", "Pro"],
    "pt": ["CGTP", "UGT", "CUT", "Força Sindical", "o Sindicato dos Bancários", "o STAL"],
}
PARTIES = {
    "en": ["the Labour Party", "the Conservative Party", "the Democratic Party", "the Republican Party",
           "the Green Party", "the Liberal Democrats", "Reform UK"],
    "de": ["der SPD", "der CDU", "den Grünen", "der AfD", "der FDP", "der Linken"],
    "fr": ["La France insoumise", "Renaissance", "Les Républicains", "au Rassemblement national", "au Parti socialiste"],
    "nl": ["de PVV", "de VVD", "GroenLinks-PvdA", "het CDA", "D66", "de SP"],
    "sv": ["Socialdemokraterna", "Moderaterna", "Sverigedemokraterna", "Vänsterpartiet", "Centerpartiet"],
    "nb": ["Arbeiderpartiet", "Høyre", "Fremskrittspartiet", "SV", "Senterpartiet"],
    "da": ["Socialdemokratiet", "Venstre", "Dansk Folkeparti", "Enhedslisten"],
    "fi": ["SDP", "Kokoomus", "Perussuomalaiset", "Vihreät", "Keskusta"],
    "pt": ["o PS", "o PSD", "o Chega", "o Bloco de Esquerda", "o PT", "o PL"],
}
ORIENT = {
    "en": ["my husband and I (we are a gay couple)", "as a lesbian", "as a bisexual woman", "my same-sex partner"],
    "de": ["meine Lebenspartnerin (wir sind ein lesbisches Paar)", "als schwuler Mann", "mein gleichgeschlechtlicher Partner"],
    "fr": ["mon compagnon (nous sommes un couple gay)", "en tant que femme lesbienne", "ma partenaire de même sexe"],
    "nl": ["mijn man en ik (homostel)", "als lesbische vrouw", "mijn partner van hetzelfde geslacht"],
}
OFFENCES = {
    "en": V.OFFENCES["en"], "de": V.OFFENCES["de"], "fr": V.OFFENCES["fr"], "nl": V.OFFENCES["nl"],
    "pt": ["furto", "condução sob o efeito do álcool", "burla", "ofensa à integridade física", "tráfico de estupefacientes"],
}
MARITAL = {
    "sv": ["ogift", "gift", "skild", "änka/änkling", "sambo", "registrerad partner"],
    "nb": ["ugift", "gift", "skilt", "enke/enkemann", "samboer", "separert"],
    "da": ["ugift", "gift", "fraskilt", "enke/enkemand", "registreret partnerskab"],
    "fi": ["naimaton", "naimisissa", "eronnut", "leski", "rekisteröity parisuhde"],
    "pt": ["solteiro", "casado", "divorciado", "viúvo", "união de facto", "solteira", "casada"],
    "de": V.MARITAL["de"], "fr": V.MARITAL["fr"], "nl": V.MARITAL["nl"], "en": V.MARITAL["en"],
}
BLOOD = ["A+", "A-", "B+", "B-", "AB+", "AB-", "0+", "0-", "O Rh+", "O Rh-"]
ICD10 = ["E11.9", "J45.909", "I10", "F32.1", "G40.909", "G43.909", "M06.9", "J44.9", "K90.0", "G35",
         "B20", "C50.911", "K50.90", "F41.1", "N18.3", "I48.91", "E03.9", "F90.0", "M54.5", "J06.9"]

# ---------------------------------------------------------------------------------------
# free text: ordinary sentences per (domain, language); no person, no personal data in them
# ---------------------------------------------------------------------------------------

BASE = {
    ("ticket", "en"): [
        "The CSV export fails with error 500 since the last update.",
        "We cannot log in to the portal after the password policy change.",
        "The invoice PDF shows the wrong VAT rate for orders shipped abroad.",
        "Our scanner no longer connects to the warehouse app on Android.",
        "Could you extend the trial licence by two weeks?",
        "The dashboard takes more than a minute to load in the morning.",
        "Tracking numbers are not synced to the shop since Tuesday.",
        "Please add two more seats to our subscription.",
        "The label printer prints every page twice.",
        "The API returns 429 although we stay under the limit.",
        "Attached is the screenshot of the error dialog.",
        "Is there a way to bulk-update the price list?",
        "The mobile app crashes when opening the calendar view.",
        "Thanks, the issue is resolved, you can close the ticket.",
        "Our VPN blocks the websocket connection of the chat widget.",
    ],
    ("clinical", "en"): [
        "Follow-up appointment booked in three weeks.",
        "Forms completed at reception; insurance card scanned.",
        "Lab results reviewed, to be discussed at next visit.",
        "Telephone consultation, no examination performed.",
        "Referral letter sent to the specialist clinic.",
        "Patient arrived on time and was seen by the nurse.",
        "Repeat prescription request forwarded to the GP.",
        "Reminder sent for the annual check-up.",
        "Records requested from the previous practice.",
        "Interpreter booked for the next appointment.",
    ],
    ("review", "en"): [
        "Arrived quickly and well packed.", "Works as described, would buy again.",
        "The colour is a bit darker than on the photos.", "Battery lasts about two days.",
        "Instructions were only in English, otherwise fine.", "Great value for the price.",
        "Stopped working after a month, replacement was sent at once.", "Size runs small, order one up.",
        "Very quiet, much better than my old one.", "Assembly took ten minutes.",
    ],
    ("forum", "en"): [
        "Has anyone tried the new release with PostgreSQL 16?", "You can set this in the admin settings under Plugins.",
        "I had the same problem, clearing the cache fixed it.", "Here is the config that works for me.",
        "Thanks, that solved it!", "The documentation for the webhook payload is outdated.",
        "Is there a way to export all topics as JSON?", "I would love to see dark mode in the mobile app.",
        "Which backup strategy do you use for large uploads?", "The migration took about an hour on our server.",
        "Marking this as solved.", "This looks like a regression in the last beta.",
    ],
    ("crm", "en"): [
        "Interested in the enterprise plan, budget approved for Q3.", "Sent the updated quote and the product sheet.",
        "Asked for a demo of the reporting module.", "Renewal due next month, no changes expected.",
        "Prefers communication by email.", "Met at the trade fair, follow up in spring.",
        "Wants a discount for a three-year contract.", "Evaluating two competitors at the moment.",
        "Contract signed, onboarding scheduled.", "No budget this year, call again in January.",
    ],
    ("order_note", "en"): [
        "Please deliver after 5 pm.", "Gift wrap if possible.", "Leave the parcel at the back door.",
        "No invoice in the parcel please.", "Deliver to the reception desk.", "Please combine with my previous order.",
        "Ring twice, the bell is broken.", "Do not leave with neighbours.",
    ],
    ("hr", "en"): [
        "Probation period completed successfully.", "Moved to the Oslo office from next month.",
        "Annual review done, objectives agreed.", "Requested to work four days a week.",
        "Completed the forklift training.", "Laptop and badge returned.", "Contract extended by twelve months.",
        "Salary adjustment according to the collective agreement.", "Has taken over the supplier portfolio.",
        "Exit interview scheduled.",
    ],
    ("chatter", "en"): [
        "Quotation sent by email.", "Stage changed to Qualified.", "Meeting moved to Thursday.",
        "Please check the delivery address before confirming.", "Invoice validated.", "Payment registered.",
        "Reminder: the contract expires at the end of the month.", "Document signed.",
    ],
    ("bio", "en"): [
        "Home automation tinkerer.", "Coffee, code and cycling.", "Long-time user, occasional contributor.",
        "I mostly post about self-hosting.", "Photographer in my spare time.", "Learning Rust.",
    ],
    ("notes", "sv"): [
        "Kunden vill ha faktura via e-post.", "Leverans endast vardagar.", "Rabattavtal gäller till årsskiftet.",
        "Har reklamerat en vara, ärendet är avslutat.", "Önskar nyhetsbrev en gång i månaden.",
        "Betalar alltid i tid.", "Ny kundkategori från och med januari.",
    ],
    ("notes", "fi"): [
        "Asiakas haluaa laskun sähköpostiin.", "Toimitus vain arkipäivisin.", "Alennussopimus voimassa vuoden loppuun.",
        "Reklamaatio käsitelty.", "Maksaa aina ajallaan.", "Uusi asiakasryhmä tammikuusta alkaen.",
    ],
    ("clinical", "nb"): [
        "Kontroll om tre uker.", "Henvisning sendt til poliklinikken.", "Prøvesvar gjennomgått, tas opp ved neste time.",
        "Telefonkonsultasjon, ingen undersøkelse.", "Resept fornyet etter avtale.", "Innkalling til årlig kontroll sendt.",
    ],
    ("clinical", "fi"): [
        "Kontrollikäynti kolmen viikon päästä.", "Lähete lähetetty erikoissairaanhoitoon.",
        "Laboratoriotulokset käyty läpi.", "Puhelinkonsultaatio, ei tutkimusta.", "Resepti uusittu.",
    ],
    ("clinical", "de"): [
        "Wiedervorstellung in drei Wochen.", "Überweisung an die Fachambulanz verschickt.",
        "Laborwerte besprochen.", "Telefonische Beratung, keine Untersuchung.", "Folgerezept ausgestellt.",
        "Termin zur Jahreskontrolle vereinbart.", "Vorbefunde angefordert.",
    ],
    ("clinical", "fr"): [
        "Rendez-vous de contrôle dans trois semaines.", "Courrier envoyé au spécialiste.",
        "Résultats du bilan sanguin revus.", "Consultation téléphonique, pas d'examen.", "Ordonnance renouvelée.",
        "Dossier transmis par l'ancien cabinet.",
    ],
    ("clinical", "nl"): [
        "Controle over drie weken.", "Verwijsbrief naar de polikliniek gestuurd.", "Labuitslagen besproken.",
        "Telefonisch consult, geen onderzoek.", "Herhaalrecept verstrekt.", "Oproep voor jaarcontrole verstuurd.",
    ],
    ("hr", "de"): [
        "Probezeit erfolgreich beendet.", "Wechsel in die Niederlassung Hamburg zum Quartalsende.",
        "Jahresgespräch geführt, Ziele vereinbart.", "Antrag auf Teilzeit (80 %) genehmigt.",
        "Staplerschein erworben.", "Dienstwagen zurückgegeben.", "Vertrag um zwölf Monate verlängert.",
        "Gehaltsanpassung gemäß Tarifvertrag.",
    ],
    ("hr", "fr"): [
        "Période d'essai validée.", "Mutation à l'agence de Lyon au prochain trimestre.",
        "Entretien annuel réalisé, objectifs fixés.", "Passage à temps partiel accepté.",
        "Formation sécurité terminée.", "Badge et ordinateur restitués.", "CDD prolongé de six mois.",
    ],
    ("hr", "pt"): [
        "Período de experiência concluído.", "Transferido para a filial de Campinas.", "Avaliação anual realizada.",
        "Pedido de férias aprovado.", "Concluiu o treinamento de segurança.", "Crachá devolvido.",
        "Contrato prorrogado por doze meses.",
    ],
    ("order_note", "pt"): [
        "Entregar depois das 18h, por favor.", "Embrulhar para oferta.", "Deixar a encomenda na portaria.",
        "Não incluir a fatura na caixa.", "Tocar à campainha duas vezes.", "Juntar com a encomenda anterior.",
        "Entregar no escritório durante a semana.",
    ],
    ("notes", "de"): [
        "Kunde wünscht Rechnung per E-Mail.", "Lieferung nur werktags.", "Rahmenvertrag bis Jahresende.",
        "Reklamation erledigt.", "Zahlt immer pünktlich.", "Bevorzugt Kontakt per Ticket.", "Neue Kundengruppe ab Januar.",
    ],
    ("ticket", "de"): [
        "Der CSV-Export bricht seit dem letzten Update mit Fehler 500 ab.",
        "Nach der Änderung der Passwortrichtlinie ist keine Anmeldung im Portal mehr möglich.",
        "Auf der Rechnung steht der falsche Mehrwertsteuersatz.",
        "Der Scanner verbindet sich nicht mehr mit der Lager-App.",
        "Können Sie die Testlizenz um zwei Wochen verlängern?",
        "Das Dashboard lädt morgens über eine Minute.",
        "Die Sendungsnummern werden seit Dienstag nicht mehr übertragen.",
        "Bitte zwei weitere Lizenzen zu unserem Vertrag hinzufügen.",
        "Der Etikettendrucker druckt jede Seite doppelt.",
        "Anbei der Screenshot der Fehlermeldung.",
        "Danke, das Problem ist gelöst, das Ticket kann geschlossen werden.",
        "Die App stürzt beim Öffnen des Kalenders ab.",
    ],
}

# mentions: one sentence per category and language; placeholders filled by the generator
MENTION = {
    "en": {
        "email": ["You can reach me at {email}.", "Please send the documents to {email}.", "Reply to {email} instead of this address."],
        "email_obf": ["Write to {email_obf} (spam-proofed).", "Contact: {email_obf}"],
        "phone": ["Call me back on {phone}.", "My mobile is {phone}.", "Phone: {phone}"],
        "name": ["This is {name} from the accounts team.", "{name} will take over while I'm away.", "Please ask for {name}."],
        "street_address": ["Deliver to {street} instead.", "My new address is {street}."],
        "special.health": ["I was off work with {cond}.", "Known {cond}, on {med} {dose}.", "Since the diagnosis of {cond} I need more breaks.", "Reports {sym}; history of {cond}."],
        "special.religion": ["I cannot attend on that day for religious reasons, I am {rel}.", "As a practising {rel} I would like a quiet room for prayer."],
        "special.trade_union": ["I am a member of {union} and would like a representative present.", "{union} will attend the meeting on my behalf."],
        "special.political_opinion": ["I volunteer for {party} at the weekends.", "As a member of {party} I disagree with this policy."],
        "special.sexual_orientation": ["Please also register {orient} for the family ticket.", "I am writing {orient}; please use the right form."],
        "criminal_record": ["Note: previous conviction for {offence} ({year}).", "Disclosed a caution for {offence} in {year}."],
        "credit_card": ["Please charge card {card}.", "Card number {card}, expiry 09/27."],
        "bank_account": ["Refund to IBAN {iban}, please.", "My account is {iban}."],
    },
    "sv": {
        "email": ["Kontakta mig på {email}.", "Skicka kopian till {email}."],
        "email_obf": ["Mejla {email_obf}."],
        "phone": ["Ring på {phone}.", "Mobil: {phone}"],
        "name": ["Kontaktperson är {name}.", "{name} hämtar varan."],
        "special.health": ["Sjukskriven på grund av {cond}.", "Har {cond}, behöver anpassad leverans."],
        "special.trade_union": ["Medlem i {union}.", "Fackombud från {union} kontaktad."],
        "special.religion": ["Önskar inga leveranser på sabbaten ({rel})."],
    },
    "fi": {
        "email": ["Sähköposti: {email}.", "Lähetä kopio osoitteeseen {email}."],
        "email_obf": ["Sähköposti {email_obf}."],
        "phone": ["Soita numeroon {phone}.", "Puh. {phone}"],
        "name": ["Yhteyshenkilö {name}.", "{name} noutaa tilauksen."],
        "special.health": ["Potilaalla {cond}.", "Sairauslomalla: {cond}.", "Lääkitys {med} {dose} {freq}."],
        "special.religion": ["Uskonnollinen vakaumus: {rel}."],
    },
    "nb": {
        "email": ["E-post: {email}."],
        "phone": ["Ring pårørende på {phone}.", "Tlf {phone}"],
        "name": ["Pårørende: {name}.", "Fastlege {name} informert."],
        "special.health": ["Pasienten har {cond}.", "Klager over {sym}, kjent {cond}.", "Bruker {med} {dose} {freq}."],
        "special.religion": ["Ønsker besøk av prest ({rel})."],
    },
    "de": {
        "email": ["Erreichbar unter {email}.", "Bitte Unterlagen an {email} senden."],
        "email_obf": ["Mail an {email_obf}."],
        "phone": ["Rückruf unter {phone}.", "Tel. {phone}"],
        "name": ["Ansprechpartnerin ist {name}.", "Vertretung durch {name}."],
        "special.health": ["AU wegen {cond}.", "Bekannte {cond}, Medikation {med} {dose}.", "Klagt über {sym}, Verdacht auf {cond}."],
        "special.trade_union": ["Mitglied bei {union}, Betriebsrat informiert.", "Rechtsschutz über {union} beantragt."],
        "special.religion": ["Religionszugehörigkeit: {rel}, Feiertagsregelung beachten."],
        "criminal_record": ["Führungszeugnis mit Eintrag: {offence}."],
    },
    "fr": {
        "email": ["Joignable à {email}.", "Merci d'écrire à {email}."],
        "email_obf": ["Courriel : {email_obf}."],
        "phone": ["Rappeler au {phone}.", "Tél. {phone}"],
        "name": ["Interlocutrice : {name}.", "Remplacé(e) par {name} pendant l'absence."],
        "special.health": ["Arrêt maladie pour {cond}.", "Antécédent de {cond}, traitement {med} {dose}.", "Se plaint de {sym}."],
        "special.trade_union": ["Délégué syndical ({union}).", "Adhérent à {union}, souhaite être accompagné."],
        "special.religion": ["Demande un aménagement pour motif religieux ({rel})."],
    },
    "nl": {
        "email": ["Bereikbaar via {email}."],
        "phone": ["Terugbellen op {phone}.", "Tel. {phone}"],
        "name": ["Contactpersoon: {name}.", "Huisarts {name} geïnformeerd."],
        "special.health": ["Patiënt heeft {cond}.", "Klaagt over {sym}, bekend met {cond}.", "Gebruikt {med} {dose} {freq}."],
        "special.religion": ["Wenst geestelijke verzorging ({rel})."],
    },
    "pt": {
        "email": ["Contacto: {email}."],
        "phone": ["Ligar para {phone}.", "Tel. {phone}"],
        "name": ["Substituído por {name} durante as férias."],
        "special.health": ["Atestado médico por {cond}.", "Em tratamento de {cond}."],
        "special.trade_union": ["Filiado ao sindicato {union}.", "Representado por {union} na negociação."],
        "special.religion": ["Folga no sábado por motivo religioso ({rel})."],
    },
}

ROLE_LOCALS = ["info", "sales", "support", "orders", "helpdesk", "billing", "returns", "service", "kontakt",
               "vertrieb", "kundeservice", "asiakaspalvelu", "atendimento", "noreply", "warehouse", "careers"]
JOB_VACANCY = [
    "We are looking for a motivated {job} to join our team in {city}. You will work closely with the operations department.",
    "As {job} you are responsible for planning, reporting and continuous improvement. Hybrid work possible.",
    "Join us as {job}! Requirements: 3+ years of experience, fluent English, team spirit.",
]
SALARY_BANDS = ["€38k–€45k", "€45k–€55k", "€55k–€68k", "NOK 520 000–610 000", "SEK 38 000–45 000/mån",
                "€3 100–€3 600 brutto/Monat", "competitive", "DKK 42.000–48.000/md."]
JOBS_VAC = ["Warehouse Operator", "Accountant", "Sales Manager", "Customer Success Specialist", "Data Engineer",
            "Buyer", "HR Generalist", "Service Technician", "Product Owner", "Logistics Planner"]
TICKET_SUBJECTS = ["Export fails", "Login problem", "Invoice question", "Feature request", "Sync error",
                   "Licence renewal", "Printer issue", "API rate limit", "App crash", "Account upgrade"]

TICKET_SUBJECTS_DE = ["Export schlägt fehl", "Anmeldeproblem", "Frage zur Rechnung", "Funktionswunsch",
                      "Synchronisationsfehler", "Lizenzverlängerung", "Druckerproblem", "API-Limit erreicht",
                      "App stürzt ab", "Vertragsupgrade", "Lieferung verspätet", "Rücksendung"]
NATIONALITY_EN = ["British", "Irish", "Polish", "Indian", "Pakistani", "Romanian", "Nigerian", "Italian", "Portuguese",
                  "Chinese", "American", "Spanish", "Lithuanian", "Bangladeshi", "German", "French", "Jamaican"]
ETHNIC_US = ["Hispanic or Latino", "Not Hispanic or Latino", "White", "Black or African American", "Asian",
             "American Indian or Alaska Native", "Native Hawaiian or Other Pacific Islander", "Two or more races",
             "White, Not Hispanic or Latino", "Black or African American, Not Hispanic or Latino",
             "Asian, Not Hispanic or Latino", "White, Hispanic or Latino"]
