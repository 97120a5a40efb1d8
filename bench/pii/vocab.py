"""Multilingual word lists for the PII benchmark's special categories and decoys.

Languages: en, de, fr, es, nl, it, pl (the benchmark's locales' languages).
"""

LANGS = ["en", "de", "fr", "es", "nl", "it", "pl"]

CONDITIONS = {
    "en": ["type 2 diabetes", "asthma", "hypertension", "major depressive disorder", "epilepsy",
           "migraine", "rheumatoid arthritis", "COPD", "coeliac disease", "multiple sclerosis",
           "HIV positive", "breast cancer", "Crohn's disease", "generalised anxiety disorder",
           "chronic kidney disease stage 3", "atrial fibrillation", "hypothyroidism", "ADHD"],
    "de": ["Diabetes mellitus Typ 2", "Asthma bronchiale", "Bluthochdruck", "Depression", "Epilepsie",
           "Migräne", "rheumatoide Arthritis", "COPD", "Zöliakie", "Multiple Sklerose", "HIV-positiv",
           "Brustkrebs", "Morbus Crohn", "Angststörung", "chronische Niereninsuffizienz",
           "Vorhofflimmern", "Schilddrüsenunterfunktion", "Schizophrenie"],
    "fr": ["diabète de type 2", "asthme", "hypertension artérielle", "dépression", "épilepsie",
           "migraine", "polyarthrite rhumatoïde", "BPCO", "maladie cœliaque", "sclérose en plaques",
           "séropositif VIH", "cancer du sein", "maladie de Crohn", "trouble anxieux",
           "insuffisance rénale chronique", "fibrillation auriculaire", "hypothyroïdie"],
    "es": ["diabetes tipo 2", "asma", "hipertensión arterial", "depresión", "epilepsia", "migraña",
           "artritis reumatoide", "EPOC", "enfermedad celíaca", "esclerosis múltiple", "VIH positivo",
           "cáncer de mama", "enfermedad de Crohn", "trastorno de ansiedad",
           "insuficiencia renal crónica", "fibrilación auricular", "hipotiroidismo"],
    "nl": ["diabetes type 2", "astma", "hoge bloeddruk", "depressie", "epilepsie", "migraine",
           "reumatoïde artritis", "COPD", "coeliakie", "multiple sclerose", "hiv-positief",
           "borstkanker", "ziekte van Crohn", "angststoornis", "chronische nierschade",
           "boezemfibrilleren", "traag werkende schildklier"],
    "it": ["diabete di tipo 2", "asma", "ipertensione", "depressione", "epilessia", "emicrania",
           "artrite reumatoide", "BPCO", "celiachia", "sclerosi multipla", "sieropositivo HIV",
           "tumore al seno", "morbo di Crohn", "disturbo d'ansia", "insufficienza renale cronica",
           "fibrillazione atriale", "ipotiroidismo"],
    "pl": ["cukrzyca typu 2", "astma", "nadciśnienie tętnicze", "depresja", "padaczka", "migrena",
           "reumatoidalne zapalenie stawów", "POChP", "celiakia", "stwardnienie rozsiane",
           "zakażenie HIV", "rak piersi", "choroba Leśniowskiego-Crohna", "zaburzenia lękowe",
           "przewlekła choroba nerek", "migotanie przedsionków", "niedoczynność tarczycy"],
}

MEDICATIONS = ["Metformin", "Salbutamol", "Lisinopril", "Sertraline", "Levetiracetam", "Sumatriptan",
               "Methotrexate", "Tiotropium", "Interferon beta-1a", "Tenofovir", "Tamoxifen",
               "Adalimumab", "Escitalopram", "Apixaban", "Levothyroxine", "Methylphenidate",
               "Insulin glargine", "Atorvastatin", "Omeprazole", "Amlodipine", "Lithium carbonate",
               "Quetiapine", "Ibuprofen", "Prednisolone"]
DOSES = ["5 mg", "10 mg", "20 mg", "50 mg", "100 mg", "250 mg", "500 mg", "1000 mg", "2 puffs", "40 IU"]
FREQ = {
    "en": ["once daily", "twice daily", "as needed", "every 8 hours", "at night"],
    "de": ["1x täglich", "2x täglich", "bei Bedarf", "alle 8 Stunden", "abends"],
    "fr": ["1 fois par jour", "2 fois par jour", "si besoin", "toutes les 8 heures", "le soir"],
    "es": ["una vez al día", "dos veces al día", "si precisa", "cada 8 horas", "por la noche"],
    "nl": ["1x per dag", "2x per dag", "zo nodig", "elke 8 uur", "voor het slapen"],
    "it": ["una volta al giorno", "due volte al giorno", "al bisogno", "ogni 8 ore", "la sera"],
    "pl": ["raz dziennie", "dwa razy dziennie", "w razie potrzeby", "co 8 godzin", "wieczorem"],
}

ALLERGIES = {
    "en": ["penicillin allergy", "peanut allergy", "lactose intolerance", "latex allergy", "bee sting allergy", "shellfish allergy"],
    "de": ["Penicillinallergie", "Erdnussallergie", "Laktoseintoleranz", "Latexallergie", "Bienengiftallergie"],
    "fr": ["allergie à la pénicilline", "allergie aux arachides", "intolérance au lactose", "allergie au latex"],
    "es": ["alergia a la penicilina", "alergia al cacahuete", "intolerancia a la lactosa", "alergia al látex"],
    "nl": ["penicilline-allergie", "pinda-allergie", "lactose-intolerantie", "latexallergie"],
    "it": ["allergia alla penicillina", "allergia alle arachidi", "intolleranza al lattosio", "allergia al lattice"],
    "pl": ["uczulenie na penicylinę", "alergia na orzeszki ziemne", "nietolerancja laktozy", "alergia na lateks"],
}

DISABILITIES = {
    "en": ["wheelchair user", "visual impairment", "hearing impairment", "dyslexia", "autism spectrum disorder"],
    "de": ["Rollstuhlfahrer", "Sehbehinderung", "Hörbehinderung", "Legasthenie", "Schwerbehinderung 50%"],
    "fr": ["personne en fauteuil roulant", "déficience visuelle", "surdité partielle", "dyslexie"],
    "es": ["usuario de silla de ruedas", "discapacidad visual", "discapacidad auditiva", "dislexia"],
    "nl": ["rolstoelgebruiker", "visuele beperking", "slechthorend", "dyslexie"],
    "it": ["utente in sedia a rotelle", "disabilità visiva", "ipoacusia", "dislessia"],
    "pl": ["osoba na wózku inwalidzkim", "niepełnosprawność wzrokowa", "niedosłuch", "dysleksja"],
}

BLOOD_TYPES = ["A+", "A-", "B+", "B-", "AB+", "AB-", "0+", "0-", "O+", "O-"]

ICD10 = ["E11.9", "J45.909", "I10", "F32.1", "G40.309", "G43.009", "M06.9", "J44.9", "K90.0",
         "G35", "B20", "C50.911", "K50.90", "F41.1", "N18.3", "I48.91", "E03.9", "F90.0", "F20.9",
         "E66.01", "Z21", "O80", "F10.20", "C34.90"]

NOTE_TEMPLATES = {
    "en": ["Patient reports {sym} for {n} days. Assessment: {cond}. Plan: {med} {dose} {freq}.",
           "Follow-up for {cond}; {med} {dose} continued. Known {allergy}.",
           "Admitted with exacerbation of {cond}. Started on {med} {dose}.",
           "Referred to specialist, suspected {cond}. Blood type {bt}."],
    "de": ["Patient klagt seit {n} Tagen über {sym}. Befund: {cond}. Therapie: {med} {dose} {freq}.",
           "Kontrolle bei {cond}; {med} {dose} weiter. Bekannte {allergy}.",
           "Stationäre Aufnahme wegen {cond}. Beginn mit {med} {dose}."],
    "fr": ["Le patient signale {sym} depuis {n} jours. Diagnostic : {cond}. Traitement : {med} {dose} {freq}.",
           "Suivi pour {cond} ; {med} {dose} poursuivi. {allergy} connue.",
           "Hospitalisé pour {cond}. Début de {med} {dose}."],
    "es": ["El paciente refiere {sym} desde hace {n} días. Diagnóstico: {cond}. Tratamiento: {med} {dose} {freq}.",
           "Control de {cond}; se mantiene {med} {dose}. {allergy} conocida.",
           "Ingreso por {cond}. Se inicia {med} {dose}."],
    "nl": ["Patiënt meldt al {n} dagen {sym}. Diagnose: {cond}. Beleid: {med} {dose} {freq}.",
           "Controle i.v.m. {cond}; {med} {dose} gecontinueerd. Bekende {allergy}.",
           "Opgenomen wegens {cond}. Gestart met {med} {dose}."],
    "it": ["Il paziente riferisce {sym} da {n} giorni. Diagnosi: {cond}. Terapia: {med} {dose} {freq}.",
           "Controllo per {cond}; prosegue {med} {dose}. Nota {allergy}.",
           "Ricoverato per {cond}. Iniziato {med} {dose}."],
    "pl": ["Pacjent zgłasza {sym} od {n} dni. Rozpoznanie: {cond}. Leczenie: {med} {dose} {freq}.",
           "Kontrola z powodu: {cond}; kontynuacja {med} {dose}. Znana {allergy}.",
           "Przyjęty z powodu: {cond}. Włączono {med} {dose}."],
}
SYMPTOMS = {
    "en": ["chest pain", "shortness of breath", "headaches", "fatigue", "dizziness", "joint pain"],
    "de": ["Brustschmerzen", "Atemnot", "Kopfschmerzen", "Müdigkeit", "Schwindel", "Gelenkschmerzen"],
    "fr": ["des douleurs thoraciques", "un essoufflement", "des céphalées", "une fatigue", "des vertiges"],
    "es": ["dolor torácico", "disnea", "cefalea", "cansancio", "mareos", "dolor articular"],
    "nl": ["pijn op de borst", "kortademigheid", "hoofdpijn", "vermoeidheid", "duizeligheid"],
    "it": ["dolore toracico", "dispnea", "cefalea", "stanchezza", "vertigini"],
    "pl": ["ból w klatce piersiowej", "duszność", "bóle głowy", "zmęczenie", "zawroty głowy"],
}

SICK_REASONS = {
    "en": ["flu", "back surgery", "burnout", "broken leg", "chemotherapy", "pregnancy complications", "covid-19"],
    "de": ["Grippe", "Bandscheiben-OP", "Burnout", "Beinbruch", "Chemotherapie", "Schwangerschaftskomplikationen"],
    "fr": ["grippe", "opération du dos", "burn-out", "jambe cassée", "chimiothérapie"],
    "es": ["gripe", "operación de espalda", "síndrome de burnout", "pierna rota", "quimioterapia"],
    "nl": ["griep", "rugoperatie", "burn-out", "gebroken been", "chemotherapie"],
    "it": ["influenza", "intervento alla schiena", "burnout", "gamba rotta", "chemioterapia"],
    "pl": ["grypa", "operacja kręgosłupa", "wypalenie zawodowe", "złamana noga", "chemioterapia"],
}

ETHNIC = {
    "en": ["White British", "White Irish", "Black Caribbean", "Black African", "Asian - Indian",
           "Asian - Pakistani", "Chinese", "Mixed White and Asian", "Hispanic or Latino",
           "African American", "Roma", "Arab", "Native American"],
    "de": ["weiß/europäisch", "türkischstämmig", "Sinti und Roma", "afrodeutsch", "asiatisch", "arabischstämmig", "kurdisch"],
    "fr": ["caucasien", "maghrébin", "afro-caribéen", "asiatique", "métis", "rom", "originaire d'Afrique subsaharienne"],
    "es": ["caucásico", "gitano", "latinoamericano", "afrodescendiente", "asiático", "magrebí", "mestizo"],
    "nl": ["Nederlands", "Marokkaans-Nederlands", "Turks-Nederlands", "Surinaams", "Antilliaans", "Indisch", "Molukse"],
    "it": ["caucasico", "nordafricano", "rom", "sinti", "asiatico", "afrodiscendente", "latinoamericano"],
    "pl": ["biały", "romskie", "łemkowskie", "tatarskie", "azjatyckie", "afrykańskie", "kaszubskie"],
}

PARTIES = {
    "en_US": ["Democratic Party", "Republican Party", "Libertarian Party", "Green Party", "Independent"],
    "en_GB": ["Labour", "Conservative", "Liberal Democrats", "SNP", "Reform UK", "Green Party", "Plaid Cymru"],
    "de_DE": ["SPD", "CDU", "CSU", "Bündnis 90/Die Grünen", "FDP", "AfD", "Die Linke", "BSW"],
    "fr_FR": ["Renaissance", "Rassemblement national", "La France insoumise", "Les Républicains", "Parti socialiste", "EELV"],
    "es_ES": ["PSOE", "Partido Popular", "Vox", "Sumar", "Podemos", "ERC", "PNV"],
    "nl_NL": ["VVD", "PVV", "GroenLinks-PvdA", "D66", "CDA", "NSC", "SP", "BBB"],
    "it_IT": ["Fratelli d'Italia", "Partito Democratico", "Lega", "Movimento 5 Stelle", "Forza Italia", "Azione"],
    "pl_PL": ["Prawo i Sprawiedliwość", "Koalicja Obywatelska", "Lewica", "PSL", "Konfederacja", "Polska 2050"],
}
OPINIONS = {
    "en": ["far left", "centre-left", "centrist", "centre-right", "conservative", "libertarian", "socialist", "nationalist"],
    "de": ["links", "linksliberal", "Mitte", "konservativ", "rechts", "sozialdemokratisch", "grün-alternativ"],
    "fr": ["gauche", "centre gauche", "centre", "droite", "extrême droite", "écologiste", "souverainiste"],
    "es": ["izquierda", "centroizquierda", "centro", "centroderecha", "derecha", "independentista"],
    "nl": ["links", "progressief", "midden", "rechts", "conservatief", "liberaal"],
    "it": ["sinistra", "centrosinistra", "centro", "centrodestra", "destra", "sovranista"],
    "pl": ["lewica", "centrolewica", "centrum", "prawica", "konserwatywny", "liberalny"],
}

RELIGIONS = {
    "en": ["Roman Catholic", "Protestant", "Church of England", "Muslim", "Jewish", "Hindu", "Buddhist", "Sikh", "Atheist", "Agnostic", "Orthodox Christian", "Jehovah's Witness"],
    "de": ["römisch-katholisch", "evangelisch", "muslimisch", "jüdisch", "konfessionslos", "orthodox", "buddhistisch", "freikirchlich", "neuapostolisch"],
    "fr": ["catholique", "protestant", "musulman", "juif", "athée", "bouddhiste", "orthodoxe", "agnostique"],
    "es": ["católico", "protestante", "musulmán", "judío", "ateo", "budista", "testigo de Jehová", "agnóstico"],
    "nl": ["rooms-katholiek", "protestants", "gereformeerd", "islamitisch", "joods", "hindoeïstisch", "geen religie", "boeddhistisch"],
    "it": ["cattolico", "protestante", "musulmano", "ebreo", "ateo", "buddista", "ortodosso", "valdese"],
    "pl": ["rzymskokatolickie", "prawosławne", "protestanckie", "muzułmańskie", "żydowskie", "ateista", "świadek Jehowy", "grekokatolickie"],
}

UNIONS = {
    "en_US": ["AFL-CIO", "Teamsters", "SEIU", "United Auto Workers", "AFSCME", "National Education Association"],
    "en_GB": ["Unite", "Unison", "GMB", "Royal College of Nursing", "NEU", "RMT", "Communication Workers Union"],
    "de_DE": ["ver.di", "IG Metall", "IG BCE", "GEW", "EVG", "NGG", "Marburger Bund"],
    "fr_FR": ["CGT", "CFDT", "Force ouvrière", "CFE-CGC", "SUD", "UNSA", "FSU"],
    "es_ES": ["CCOO", "UGT", "CGT", "USO", "ELA", "CSIF"],
    "nl_NL": ["FNV", "CNV", "VCP", "AVV", "De Unie"],
    "it_IT": ["CGIL", "CISL", "UIL", "UGL", "USB", "FIOM"],
    "pl_PL": ["NSZZ Solidarność", "OPZZ", "Forum Związków Zawodowych", "ZNP", "Sierpień 80"],
}

ORIENTATIONS = {
    "en": ["heterosexual", "gay", "lesbian", "bisexual", "asexual", "pansexual", "queer", "straight", "questioning"],
    "de": ["heterosexuell", "schwul", "lesbisch", "bisexuell", "asexuell", "pansexuell", "homosexuell"],
    "fr": ["hétérosexuel", "homosexuel", "gay", "lesbienne", "bisexuel", "asexuel", "pansexuel"],
    "es": ["heterosexual", "gay", "lesbiana", "bisexual", "asexual", "pansexual", "homosexual"],
    "nl": ["heteroseksueel", "homoseksueel", "lesbisch", "biseksueel", "aseksueel", "panseksueel"],
    "it": ["eterosessuale", "omosessuale", "gay", "lesbica", "bisessuale", "asessuale", "pansessuale"],
    "pl": ["heteroseksualny", "homoseksualny", "gej", "lesbijka", "biseksualny", "aseksualny"],
}

OFFENCES = {
    "en": ["theft", "burglary", "assault", "drink driving", "fraud", "possession of cannabis", "shoplifting", "criminal damage", "tax evasion", "domestic violence"],
    "de": ["Diebstahl", "Einbruch", "Körperverletzung (§ 223 StGB)", "Trunkenheit im Verkehr", "Betrug", "Besitz von Betäubungsmitteln", "Ladendiebstahl", "Sachbeschädigung", "Steuerhinterziehung"],
    "fr": ["vol", "cambriolage", "coups et blessures", "conduite en état d'ivresse", "escroquerie", "détention de stupéfiants", "dégradation"],
    "es": ["hurto", "robo con fuerza", "lesiones", "conducción bajo los efectos del alcohol", "estafa", "tráfico de drogas", "daños"],
    "nl": ["diefstal", "inbraak", "mishandeling", "rijden onder invloed", "oplichting", "drugsbezit", "vernieling"],
    "it": ["furto", "furto in abitazione", "lesioni personali", "guida in stato di ebbrezza", "truffa", "spaccio di stupefacenti"],
    "pl": ["kradzież", "włamanie", "pobicie", "jazda po pijanemu", "oszustwo", "posiadanie narkotyków", "zniszczenie mienia"],
}
SENTENCES = {
    "en": ["convicted {y}, {m} months suspended", "fined £{f} ({y})", "arrested {y}, charges pending", "{m} months imprisonment ({y})", "caution issued {y}", "community service, {y}"],
    "de": ["verurteilt {y}, {m} Monate auf Bewährung", "Geldstrafe {f} EUR ({y})", "Festnahme {y}, Verfahren anhängig", "Freiheitsstrafe {m} Monate ({y})"],
    "fr": ["condamné en {y}, {m} mois avec sursis", "amende de {f} EUR ({y})", "garde à vue {y}", "{m} mois de prison ferme ({y})"],
    "es": ["condenado en {y}, {m} meses de prisión", "multa de {f} EUR ({y})", "detenido en {y}", "antecedentes penales: {m} meses ({y})"],
    "nl": ["veroordeeld {y}, {m} maanden voorwaardelijk", "boete {f} EUR ({y})", "aangehouden {y}", "taakstraf ({y})"],
    "it": ["condannato nel {y}, {m} mesi con condizionale", "multa di {f} EUR ({y})", "arrestato nel {y}", "reclusione {m} mesi ({y})"],
    "pl": ["skazany w {y}, {m} miesięcy w zawieszeniu", "grzywna {f} PLN ({y})", "zatrzymany w {y}", "kara pozbawienia wolności {m} mies. ({y})"],
}

GENDERS = {
    "en": ["male", "female", "non-binary", "M", "F"],
    "de": ["männlich", "weiblich", "divers", "m", "w"],
    "fr": ["homme", "femme", "non-binaire", "H", "F"],
    "es": ["hombre", "mujer", "no binario", "H", "M"],
    "nl": ["man", "vrouw", "non-binair", "M", "V"],
    "it": ["maschio", "femmina", "non binario", "M", "F"],
    "pl": ["mężczyzna", "kobieta", "niebinarna", "M", "K"],
}
MARITAL = {
    "en": ["single", "married", "divorced", "widowed", "separated", "civil partnership"],
    "de": ["ledig", "verheiratet", "geschieden", "verwitwet", "getrennt lebend", "eingetragene Lebenspartnerschaft"],
    "fr": ["célibataire", "marié(e)", "divorcé(e)", "veuf/veuve", "pacsé(e)"],
    "es": ["soltero/a", "casado/a", "divorciado/a", "viudo/a", "pareja de hecho"],
    "nl": ["ongehuwd", "gehuwd", "gescheiden", "weduwe/weduwnaar", "samenwonend", "geregistreerd partnerschap"],
    "it": ["celibe/nubile", "coniugato/a", "divorziato/a", "vedovo/a", "unione civile"],
    "pl": ["kawaler/panna", "żonaty/zamężna", "rozwiedziony/a", "wdowiec/wdowa", "w separacji"],
}
NATIONALITIES = {
    "en": ["American", "British", "German", "French", "Spanish", "Dutch", "Italian", "Polish", "Turkish", "Moroccan", "Ukrainian", "Indian"],
    "de": ["deutsch", "türkisch", "polnisch", "italienisch", "syrisch", "rumänisch", "österreichisch", "ukrainisch"],
    "fr": ["française", "algérienne", "marocaine", "portugaise", "italienne", "tunisienne", "belge"],
    "es": ["española", "marroquí", "rumana", "colombiana", "ecuatoriana", "venezolana", "argentina"],
    "nl": ["Nederlandse", "Turkse", "Marokkaanse", "Surinaamse", "Poolse", "Duitse", "Belgische"],
    "it": ["italiana", "rumena", "albanese", "marocchina", "cinese", "ucraina", "filippina"],
    "pl": ["polskie", "ukraińskie", "białoruskie", "niemieckie", "wietnamskie", "litewskie"],
}
ISO_COUNTRIES = ["DE", "FR", "ES", "NL", "IT", "PL", "GB", "US", "BE", "AT", "CH", "PT", "SE", "DK", "IE", "CZ"]

SECURITY_ANSWERS = ["Fluffy", "Rex", "Springfield Elementary", "Toyota Corolla", "Bella", "blue", "Main Street",
                    "pizza", "Max", "St. Mary's", "Lisbon", "Buddy", "grandma's house", "Luna"]

# --- decoys ------------------------------------------------------------------------------
ORDER_STATUS = ["pending", "paid", "shipped", "delivered", "cancelled", "refunded", "on_hold", "returned"]
SHIP_STATUS = ["LABEL_CREATED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED", "EXCEPTION", "RETURNED"]
CURRENCIES = ["EUR", "USD", "GBP", "PLN", "CHF", "SEK", "DKK"]
CATEGORIES = {
    "en": ["Electronics", "Garden", "Toys", "Kitchen", "Books", "Sports", "Office supplies", "Pet food", "Beauty", "Automotive"],
    "de": ["Elektronik", "Garten", "Spielzeug", "Küche", "Bücher", "Sport", "Bürobedarf", "Tiernahrung"],
    "fr": ["Électronique", "Jardin", "Jouets", "Cuisine", "Livres", "Sport", "Fournitures de bureau"],
    "es": ["Electrónica", "Jardín", "Juguetes", "Cocina", "Libros", "Deportes", "Material de oficina"],
    "nl": ["Elektronica", "Tuin", "Speelgoed", "Keuken", "Boeken", "Sport", "Kantoorartikelen"],
    "it": ["Elettronica", "Giardino", "Giocattoli", "Cucina", "Libri", "Sport", "Cancelleria"],
    "pl": ["Elektronika", "Ogród", "Zabawki", "Kuchnia", "Książki", "Sport", "Artykuły biurowe"],
}
PRODUCT_ADJ = ["Ultra", "Pro", "Eco", "Compact", "Deluxe", "Smart", "Classic", "Mini", "Max", "Turbo", "Vintage", "Nordic"]
PRODUCT_NOUN = ["Blender", "Headphones", "Desk Lamp", "Garden Hose", "Backpack", "Coffee Grinder", "Yoga Mat",
                "Kettle", "Drill", "Monitor Stand", "Water Bottle", "Running Shoes", "Notebook", "Router",
                "Air Fryer", "Cat Tree", "Tent", "Phone Case", "Keyboard", "Toaster"]
COLORS = ["black", "white", "red", "blue", "green", "grey", "silver", "beige"]
DELIVERY_NOTES = {
    "en": ["Leave at reception", "Fragile - handle with care", "Deliver to loading dock B", "Ring twice, goods entrance at the back", "Do not stack", "Pallet delivery, forklift required", "Keep refrigerated", "Deliver between 9:00 and 17:00"],
    "de": ["Bitte beim Empfang abgeben", "Zerbrechlich - vorsichtig behandeln", "Anlieferung an Rampe 3", "Nicht stapeln", "Palettenlieferung, Hubwagen nötig", "Kühl lagern"],
    "fr": ["Déposer à l'accueil", "Fragile - manipuler avec soin", "Livraison quai n°2", "Ne pas empiler", "Livraison sur palette", "Conserver au frais"],
    "es": ["Dejar en recepción", "Frágil - manipular con cuidado", "Entregar en el muelle de carga", "No apilar", "Entrega en palé"],
    "nl": ["Afgeven bij de receptie", "Breekbaar - voorzichtig", "Leveren bij laadperron 2", "Niet stapelen", "Palletlevering"],
    "it": ["Lasciare alla reception", "Fragile - maneggiare con cura", "Consegna alla baia di carico", "Non impilare", "Consegna su bancale"],
    "pl": ["Zostawić w recepcji", "Ostrożnie - szkło", "Dostawa do rampy nr 2", "Nie piętrować", "Dostawa na palecie"],
}
EVENT_TYPES = ["page_view", "add_to_cart", "checkout", "search", "click", "purchase", "session_start"]
HTTP_METHODS = ["GET", "POST", "PUT", "DELETE"]
CARRIERS = ["DHL", "UPS", "DPD", "GLS", "PostNL", "Colissimo", "Correos", "InPost", "Royal Mail", "FedEx"]
PAYMENT_METHODS = ["card", "sepa_debit", "paypal", "ideal", "bank_transfer", "klarna", "blik"]
DEVICE_MODELS = ["Pixel 8", "iPhone 15", "Galaxy S23", "Moto G84", "Redmi Note 13", "iPad Air", "ThinkPad T14", "Fairphone 5"]
OS_VERSIONS = ["Android 14", "Android 13", "iOS 17.4", "iOS 16.7", "Windows 11", "macOS 14.3", "Ubuntu 24.04"]
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
DEPARTMENTS = {
    "en": ["Finance", "Sales", "Engineering", "Support", "Logistics", "Legal", "Marketing"],
    "de": ["Finanzen", "Vertrieb", "Entwicklung", "Kundendienst", "Logistik", "Recht"],
    "fr": ["Finances", "Ventes", "Ingénierie", "Support", "Logistique", "Juridique"],
    "es": ["Finanzas", "Ventas", "Ingeniería", "Soporte", "Logística", "Legal"],
    "nl": ["Financiën", "Verkoop", "Ontwikkeling", "Klantenservice", "Logistiek"],
    "it": ["Finanza", "Vendite", "Ingegneria", "Assistenza", "Logistica"],
    "pl": ["Finanse", "Sprzedaż", "Inżynieria", "Wsparcie", "Logistyka"],
}
