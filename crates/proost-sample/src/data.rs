//! Built-in word lists the generator draws from. Everything here is fictional or public
//! reference data (city names, postcode ranges, bank codes); no real person is listed.

/// A customer's home country, with everything that must agree with it.
pub(crate) struct Country {
    /// English country name as stored in `customers.country`.
    pub name: &'static str,
    /// Which name list residents mostly draw from.
    pub locale: Locale,
    /// Relative share of customers living there.
    pub weight: u32,
    pub cities: &'static [City],
}

/// A city with the postcodes that belong to it and its landline area code.
pub(crate) struct City {
    pub name: &'static str,
    pub postal: Postal,
    /// National area code without trunk prefix (`30` for Berlin, `212` for Manhattan).
    pub area_code: &'static str,
}

/// How a city's postcodes are generated.
#[derive(Clone, Copy)]
pub(crate) enum Postal {
    /// A numeric range, zero-padded to `width` digits (DE, FR, ES, US).
    Range { lo: u32, hi: u32, width: usize },
    /// Dutch `1234 AB`: four digits in the range, then two letters.
    Dutch { lo: u32, hi: u32 },
    /// British: one of the outward codes, then ` 9AA`.
    British { outward: &'static [&'static str] },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Locale {
    De,
    Nl,
    Fr,
    Es,
    Gb,
    Us,
}

pub(crate) const COUNTRIES: &[Country] = &[
    Country {
        name: "Germany",
        locale: Locale::De,
        weight: 30,
        cities: &[
            City {
                name: "Berlin",
                postal: Postal::Range {
                    lo: 10115,
                    hi: 14199,
                    width: 5,
                },
                area_code: "30",
            },
            City {
                name: "München",
                postal: Postal::Range {
                    lo: 80331,
                    hi: 81929,
                    width: 5,
                },
                area_code: "89",
            },
            City {
                name: "Hamburg",
                postal: Postal::Range {
                    lo: 20095,
                    hi: 22769,
                    width: 5,
                },
                area_code: "40",
            },
            City {
                name: "Köln",
                postal: Postal::Range {
                    lo: 50667,
                    hi: 51149,
                    width: 5,
                },
                area_code: "221",
            },
            City {
                name: "Frankfurt am Main",
                postal: Postal::Range {
                    lo: 60306,
                    hi: 60599,
                    width: 5,
                },
                area_code: "69",
            },
            City {
                name: "Stuttgart",
                postal: Postal::Range {
                    lo: 70173,
                    hi: 70629,
                    width: 5,
                },
                area_code: "711",
            },
            City {
                name: "Leipzig",
                postal: Postal::Range {
                    lo: 4103,
                    hi: 4357,
                    width: 5,
                },
                area_code: "341",
            },
            City {
                name: "Düsseldorf",
                postal: Postal::Range {
                    lo: 40210,
                    hi: 40629,
                    width: 5,
                },
                area_code: "211",
            },
        ],
    },
    Country {
        name: "Netherlands",
        locale: Locale::Nl,
        weight: 15,
        cities: &[
            City {
                name: "Amsterdam",
                postal: Postal::Dutch { lo: 1011, hi: 1109 },
                area_code: "20",
            },
            City {
                name: "Rotterdam",
                postal: Postal::Dutch { lo: 3011, hi: 3089 },
                area_code: "10",
            },
            City {
                name: "Den Haag",
                postal: Postal::Dutch { lo: 2491, hi: 2599 },
                area_code: "70",
            },
            City {
                name: "Utrecht",
                postal: Postal::Dutch { lo: 3511, hi: 3585 },
                area_code: "30",
            },
            City {
                name: "Eindhoven",
                postal: Postal::Dutch { lo: 5611, hi: 5658 },
                area_code: "40",
            },
            City {
                name: "Groningen",
                postal: Postal::Dutch { lo: 9711, hi: 9747 },
                area_code: "50",
            },
        ],
    },
    Country {
        name: "France",
        locale: Locale::Fr,
        weight: 15,
        cities: &[
            City {
                name: "Paris",
                postal: Postal::Range {
                    lo: 75001,
                    hi: 75020,
                    width: 5,
                },
                area_code: "1",
            },
            City {
                name: "Lyon",
                postal: Postal::Range {
                    lo: 69001,
                    hi: 69009,
                    width: 5,
                },
                area_code: "4",
            },
            City {
                name: "Marseille",
                postal: Postal::Range {
                    lo: 13001,
                    hi: 13016,
                    width: 5,
                },
                area_code: "4",
            },
            City {
                name: "Toulouse",
                postal: Postal::Range {
                    lo: 31000,
                    hi: 31500,
                    width: 5,
                },
                area_code: "5",
            },
            City {
                name: "Bordeaux",
                postal: Postal::Range {
                    lo: 33000,
                    hi: 33800,
                    width: 5,
                },
                area_code: "5",
            },
            City {
                name: "Lille",
                postal: Postal::Range {
                    lo: 59000,
                    hi: 59800,
                    width: 5,
                },
                area_code: "3",
            },
            City {
                name: "Nantes",
                postal: Postal::Range {
                    lo: 44000,
                    hi: 44300,
                    width: 5,
                },
                area_code: "2",
            },
        ],
    },
    Country {
        name: "Spain",
        locale: Locale::Es,
        weight: 12,
        cities: &[
            City {
                name: "Madrid",
                postal: Postal::Range {
                    lo: 28001,
                    hi: 28055,
                    width: 5,
                },
                area_code: "91",
            },
            City {
                name: "Barcelona",
                postal: Postal::Range {
                    lo: 8001,
                    hi: 8042,
                    width: 5,
                },
                area_code: "93",
            },
            City {
                name: "Valencia",
                postal: Postal::Range {
                    lo: 46001,
                    hi: 46026,
                    width: 5,
                },
                area_code: "96",
            },
            City {
                name: "Sevilla",
                postal: Postal::Range {
                    lo: 41001,
                    hi: 41020,
                    width: 5,
                },
                area_code: "95",
            },
            City {
                name: "Zaragoza",
                postal: Postal::Range {
                    lo: 50001,
                    hi: 50018,
                    width: 5,
                },
                area_code: "976",
            },
            City {
                name: "Málaga",
                postal: Postal::Range {
                    lo: 29001,
                    hi: 29018,
                    width: 5,
                },
                area_code: "95",
            },
            City {
                name: "Bilbao",
                postal: Postal::Range {
                    lo: 48001,
                    hi: 48015,
                    width: 5,
                },
                area_code: "94",
            },
        ],
    },
    Country {
        name: "United Kingdom",
        locale: Locale::Gb,
        weight: 14,
        cities: &[
            City {
                name: "London",
                postal: Postal::British {
                    outward: &["SW1A", "EC1A", "N1", "E2", "SE1", "W1D", "NW3", "SW11"],
                },
                area_code: "20",
            },
            City {
                name: "Manchester",
                postal: Postal::British {
                    outward: &["M1", "M4", "M14", "M20"],
                },
                area_code: "161",
            },
            City {
                name: "Birmingham",
                postal: Postal::British {
                    outward: &["B1", "B5", "B15", "B29"],
                },
                area_code: "121",
            },
            City {
                name: "Edinburgh",
                postal: Postal::British {
                    outward: &["EH1", "EH3", "EH8", "EH10"],
                },
                area_code: "131",
            },
            City {
                name: "Bristol",
                postal: Postal::British {
                    outward: &["BS1", "BS6", "BS8"],
                },
                area_code: "117",
            },
            City {
                name: "Leeds",
                postal: Postal::British {
                    outward: &["LS1", "LS6", "LS8"],
                },
                area_code: "113",
            },
            City {
                name: "Glasgow",
                postal: Postal::British {
                    outward: &["G1", "G3", "G12"],
                },
                area_code: "141",
            },
        ],
    },
    Country {
        name: "United States",
        locale: Locale::Us,
        weight: 14,
        cities: &[
            City {
                name: "New York",
                postal: Postal::Range {
                    lo: 10001,
                    hi: 10282,
                    width: 5,
                },
                area_code: "212",
            },
            City {
                name: "Los Angeles",
                postal: Postal::Range {
                    lo: 90001,
                    hi: 90089,
                    width: 5,
                },
                area_code: "213",
            },
            City {
                name: "Chicago",
                postal: Postal::Range {
                    lo: 60601,
                    hi: 60661,
                    width: 5,
                },
                area_code: "312",
            },
            City {
                name: "Houston",
                postal: Postal::Range {
                    lo: 77001,
                    hi: 77099,
                    width: 5,
                },
                area_code: "713",
            },
            City {
                name: "Seattle",
                postal: Postal::Range {
                    lo: 98101,
                    hi: 98199,
                    width: 5,
                },
                area_code: "206",
            },
            City {
                name: "Boston",
                postal: Postal::Range {
                    lo: 2108,
                    hi: 2137,
                    width: 5,
                },
                area_code: "617",
            },
            City {
                name: "Austin",
                postal: Postal::Range {
                    lo: 78701,
                    hi: 78759,
                    width: 5,
                },
                area_code: "512",
            },
            City {
                name: "San Francisco",
                postal: Postal::Range {
                    lo: 94102,
                    hi: 94134,
                    width: 5,
                },
                area_code: "415",
            },
        ],
    },
];

pub(crate) struct Names {
    pub first: &'static [&'static str],
    pub last: &'static [&'static str],
}

pub(crate) const NAMES_DE: Names = Names {
    first: &[
        "Lukas",
        "Leon",
        "Finn",
        "Jonas",
        "Paul",
        "Felix",
        "Maximilian",
        "Tobias",
        "Jürgen",
        "Klaus",
        "Stefan",
        "Wolfgang",
        "Anna",
        "Lena",
        "Katharina",
        "Sophie",
        "Julia",
        "Sabine",
        "Ursula",
        "Monika",
        "Petra",
        "Hannah",
        "Greta",
        "Jörg",
    ],
    last: &[
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Braun",
        "Krüger",
        "Hartmann",
        "Weiß",
    ],
};

pub(crate) const NAMES_FR: Names = Names {
    first: &[
        "Lucas",
        "Hugo",
        "Louis",
        "Gabriel",
        "Arthur",
        "Jules",
        "Mathieu",
        "Nicolas",
        "Julien",
        "François",
        "Thierry",
        "Pierre",
        "Camille",
        "Léa",
        "Chloé",
        "Manon",
        "Inès",
        "Juliette",
        "Élodie",
        "Nathalie",
        "Isabelle",
        "Sandrine",
        "Margaux",
        "Céline",
    ],
    last: &[
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefèvre",
        "Michel",
        "Fournier",
        "Girard",
        "Bonnet",
        "Dupont",
        "Lambert",
        "Fontaine",
        "Rousseau",
        "Chevalier",
        "Faure",
        "Mercier",
    ],
};

pub(crate) const NAMES_ES: Names = Names {
    first: &[
        "Alejandro",
        "Daniel",
        "Pablo",
        "Javier",
        "Carlos",
        "Manuel",
        "Sergio",
        "Álvaro",
        "Diego",
        "Andrés",
        "Jorge",
        "José Luis",
        "María",
        "Lucía",
        "Carmen",
        "Paula",
        "Elena",
        "Marta",
        "Sara",
        "Ana Belén",
        "Rocío",
        "Pilar",
        "Nuria",
        "Alba",
    ],
    last: &[
        "García",
        "Rodríguez",
        "González",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Martín",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Muñoz",
        "Álvarez",
        "Romero",
        "Alonso",
        "Gutiérrez",
        "Navarro",
        "Torres",
        "Domínguez",
        "Vázquez",
    ],
};

pub(crate) const NAMES_NL: Names = Names {
    first: &[
        "Daan", "Sem", "Bram", "Jesse", "Thijs", "Ruben", "Jeroen", "Pieter", "Willem", "Joost",
        "Maarten", "Sander", "Sanne", "Emma", "Femke", "Lotte", "Anouk", "Fleur", "Eva", "Marieke",
        "Ingrid", "Esther", "Noor", "Saskia",
    ],
    last: &[
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "van Dijk",
        "Bakker",
        "Janssen",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "van Leeuwen",
        "Dekker",
        "Brouwer",
        "de Wit",
        "Dijkstra",
        "Smits",
        "van der Meer",
    ],
};

pub(crate) const NAMES_EN: Names = Names {
    first: &[
        "James",
        "Oliver",
        "William",
        "Harry",
        "George",
        "Jack",
        "Michael",
        "David",
        "Robert",
        "Christopher",
        "Matthew",
        "Ethan",
        "Emily",
        "Olivia",
        "Charlotte",
        "Amelia",
        "Jessica",
        "Sarah",
        "Jennifer",
        "Elizabeth",
        "Megan",
        "Rachel",
        "Ashley",
        "Grace",
    ],
    last: &[
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
        "Anderson", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young",
        "Wright", "Evans", "Roberts", "O'Connor", "Murphy", "Patel", "Nguyen", "Campbell",
    ],
};

pub(crate) fn names_for(locale: Locale) -> &'static Names {
    match locale {
        Locale::De => &NAMES_DE,
        Locale::Nl => &NAMES_NL,
        Locale::Fr => &NAMES_FR,
        Locale::Es => &NAMES_ES,
        Locale::Gb | Locale::Us => &NAMES_EN,
    }
}

pub(crate) const ALL_LOCALES: &[Locale] = &[
    Locale::De,
    Locale::Nl,
    Locale::Fr,
    Locale::Es,
    Locale::Gb,
    Locale::Us,
];

pub(crate) const STREETS_DE: &[&str] = &[
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenstraße",
    "Schillerstraße",
    "Goethestraße",
    "Lindenstraße",
    "Bergstraße",
    "Kirchstraße",
    "Waldstraße",
    "Mozartstraße",
    "Friedrichstraße",
    "Schulstraße",
    "Am Markt",
    "Rosenweg",
    "Birkenweg",
    "Ringstraße",
];

pub(crate) const STREETS_NL: &[&str] = &[
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Stationsweg",
    "Keizersgracht",
    "Prinsengracht",
    "Herengracht",
    "Julianalaan",
    "Beatrixlaan",
    "Schoolstraat",
    "Nieuwstraat",
    "Marktplein",
    "Lindelaan",
    "Parallelweg",
];

pub(crate) const STREETS_FR: &[&str] = &[
    "rue de la République",
    "avenue Victor Hugo",
    "boulevard Jean Jaurès",
    "rue de la Paix",
    "avenue du Général de Gaulle",
    "rue Pasteur",
    "allée des Lilas",
    "rue Gambetta",
    "avenue de Verdun",
    "rue Nationale",
    "chemin du Moulin",
    "rue des Écoles",
    "place de l'Église",
    "impasse des Tilleuls",
];

pub(crate) const STREETS_ES: &[&str] = &[
    "Calle Mayor",
    "Avenida de la Constitución",
    "Plaza de España",
    "Calle de Alcalá",
    "Calle Real",
    "Paseo de la Castellana",
    "Calle San Juan",
    "Avenida Diagonal",
    "Calle del Carmen",
    "Gran Vía",
    "Calle Nueva",
    "Calle de la Iglesia",
    "Avenida del Puerto",
];

pub(crate) const STREETS_GB: &[&str] = &[
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Park Avenue",
    "Mill Lane",
    "Queen's Road",
    "King Street",
    "London Road",
    "Manor Close",
    "The Green",
    "Albert Crescent",
    "Orchard Gardens",
    "Baker Street",
];

pub(crate) const STREETS_US: &[&str] = &[
    "Main Street",
    "Oak Avenue",
    "Maple Drive",
    "Cedar Lane",
    "Pine Street",
    "Elm Court",
    "Washington Boulevard",
    "Lake Road",
    "Hillcrest Drive",
    "Sunset Boulevard",
    "Park Place",
    "2nd Avenue",
    "3rd Street",
    "Willow Way",
];

pub(crate) const EMAIL_DOMAINS_COMMON: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "icloud.com",
    "proton.me",
    "fastmail.com",
];

pub(crate) fn email_domains_for(locale: Locale) -> &'static [&'static str] {
    match locale {
        Locale::De => &["gmx.de", "web.de", "t-online.de", "posteo.de", "gmx.net"],
        Locale::Nl => &[
            "ziggo.nl",
            "kpnmail.nl",
            "hetnet.nl",
            "planet.nl",
            "xs4all.nl",
        ],
        Locale::Fr => &[
            "orange.fr",
            "free.fr",
            "laposte.net",
            "wanadoo.fr",
            "sfr.fr",
        ],
        Locale::Es => &["telefonica.net", "yahoo.es", "hotmail.es", "movistar.es"],
        Locale::Gb => &[
            "btinternet.com",
            "sky.com",
            "virginmedia.com",
            "yahoo.co.uk",
        ],
        Locale::Us => &["aol.com", "comcast.net", "verizon.net", "att.net"],
    }
}

/// Free-text health notes (GDPR Art. 9 data) in English.
pub(crate) const HEALTH_NOTES_EN: &[&str] = &[
    "Allergic to penicillin",
    "Type 2 diabetes, takes metformin",
    "Asthma — inhaler at hand",
    "Lactose intolerant",
    "Coeliac disease, strictly gluten-free",
    "Severe peanut allergy, carries an EpiPen",
    "Epilepsy, on levetiracetam",
    "High blood pressure, takes lisinopril",
    "Wheelchair user — needs ground-floor delivery",
    "Pregnant, due in spring",
    "Hearing impaired, prefers email contact",
    "Type 1 diabetes, uses an insulin pump",
    "Chronic migraine, sensitive to strong light",
    "Recovering from knee surgery",
    "Allergic to latex",
    "Depression, currently in therapy",
    "ADHD, takes methylphenidate",
    "Blood type O negative",
    "Multiple sclerosis",
    "Has a pacemaker",
    "Hypothyroidism, takes levothyroxine",
    "Visually impaired — large print please",
    "Shellfish allergy",
    "Crohn's disease",
    "On blood thinners (warfarin)",
    "Bee sting allergy",
];

pub(crate) fn local_health_notes(locale: Locale) -> &'static [&'static str] {
    match locale {
        Locale::De => &[
            "Allergie gegen Penicillin",
            "Diabetes Typ 2, nimmt Metformin",
            "Asthma, Notfallspray dabei",
            "Laktoseintoleranz",
            "Rollstuhlfahrer, bitte Lieferung ins Erdgeschoss",
            "Bluthochdruck",
        ],
        Locale::Nl => &[
            "Allergisch voor noten",
            "Diabetes type 2, gebruikt metformine",
            "Astma, puffer altijd bij zich",
            "Glutenintolerantie (coeliakie)",
            "Slechthorend, liever contact per e-mail",
        ],
        Locale::Fr => &[
            "Allergie aux arachides",
            "Diabète de type 2, sous metformine",
            "Asthme, garde son inhalateur",
            "Intolérance au lactose",
            "Enceinte, terme prévu en mai",
        ],
        Locale::Es => &[
            "Alergia a la penicilina",
            "Diabetes tipo 2, toma metformina",
            "Asma, lleva inhalador",
            "Celiaquía, dieta sin gluten",
            "Hipertensión arterial",
        ],
        Locale::Gb | Locale::Us => HEALTH_NOTES_EN,
    }
}

/// A product category: its label, SKU prefix and name parts.
pub(crate) struct Category {
    pub name: &'static str,
    pub sku_prefix: &'static str,
    pub kind: NameKind,
    pub first: &'static [&'static str],
    /// Item names with a typical price in whole currency units.
    pub second: &'static [(&'static str, f64)],
}

/// How `first` and `second` combine into a product name.
#[derive(Clone, Copy)]
pub(crate) enum NameKind {
    /// `"{first} {second}"`, e.g. `"Wireless Bluetooth Speaker"`.
    AdjectiveNoun,
    /// A book title: `"{first} {second}"` where first is a title start such as
    /// `"The Art of"`.
    Title,
}

pub(crate) const CATEGORIES: &[Category] = &[
    Category {
        name: "Books",
        sku_prefix: "BK",
        kind: NameKind::Title,
        first: &[
            "The Complete Guide to",
            "A Short History of",
            "Mastering",
            "The Art of",
            "Everyday",
            "Introduction to",
            "The Little Book of",
            "Practical",
            "Secrets of",
            "A Field Guide to",
        ],
        second: &[
            ("Sourdough Baking", 24.0),
            ("Urban Gardening", 19.0),
            ("Rust Programming", 45.0),
            ("Watercolour Painting", 22.0),
            ("Birdwatching", 18.0),
            ("Mountain Hiking", 21.0),
            ("Home Brewing", 20.0),
            ("Chess Openings", 27.0),
            ("French Pastry", 32.0),
            ("Data Visualisation", 39.0),
            ("Woodworking", 29.0),
            ("Astronomy", 26.0),
            ("Mediterranean Cooking", 28.0),
            ("Photography", 34.0),
            ("Beekeeping", 17.0),
        ],
    },
    Category {
        name: "Electronics",
        sku_prefix: "EL",
        kind: NameKind::AdjectiveNoun,
        first: &[
            "Wireless",
            "Portable",
            "Smart",
            "Compact",
            "Ultra-Slim",
            "Rechargeable",
            "Noise-Cancelling",
            "Waterproof",
            "Pro",
            "Mini",
        ],
        second: &[
            ("Bluetooth Speaker", 59.0),
            ("Over-Ear Headphones", 149.0),
            ("Earbuds", 79.0),
            ("Power Bank 20000 mAh", 39.0),
            ("USB-C Hub", 35.0),
            ("Mechanical Keyboard", 99.0),
            ("Webcam 1080p", 49.0),
            ("Fitness Tracker", 69.0),
            ("E-Reader", 129.0),
            ("Action Camera", 229.0),
            ("LED Desk Lamp", 34.0),
            ("Wi-Fi Router", 119.0),
            ("Gaming Mouse", 45.0),
            ("27\" 4K Monitor", 349.0),
            ("Smartwatch", 199.0),
        ],
    },
    Category {
        name: "Garden",
        sku_prefix: "GA",
        kind: NameKind::AdjectiveNoun,
        first: &[
            "Heavy-Duty",
            "Telescopic",
            "Ergonomic",
            "Solar-Powered",
            "Galvanised",
            "Foldable",
            "Weatherproof",
            "Stainless Steel",
            "Cordless",
            "Bamboo",
        ],
        second: &[
            ("Pruning Shears", 24.0),
            ("Garden Hose 25 m", 39.0),
            ("Leaf Rake", 19.0),
            ("Watering Can", 15.0),
            ("Lawn Mower", 279.0),
            ("Hedge Trimmer", 129.0),
            ("Raised Bed Kit", 89.0),
            ("Compost Bin", 59.0),
            ("Bird Feeder", 22.0),
            ("String Lights", 25.0),
            ("Plant Pot Set", 29.0),
            ("Kneeling Pad", 12.0),
            ("Wheelbarrow", 79.0),
            ("Seed Starter Tray", 9.0),
            ("Garden Gloves", 11.0),
        ],
    },
    Category {
        name: "Kitchen",
        sku_prefix: "KI",
        kind: NameKind::AdjectiveNoun,
        first: &[
            "Cast Iron",
            "Non-Stick",
            "Stainless Steel",
            "Ceramic",
            "Glass",
            "Enamelled",
            "Professional",
            "Bamboo",
            "Copper",
            "Silicone",
        ],
        second: &[
            ("Frying Pan 28 cm", 45.0),
            ("Dutch Oven", 119.0),
            ("Chef's Knife", 69.0),
            ("Cutting Board", 25.0),
            ("Saucepan Set", 129.0),
            ("Mixing Bowls", 29.0),
            ("Coffee Grinder", 49.0),
            ("French Press", 32.0),
            ("Baking Tray", 15.0),
            ("Spatula Set", 14.0),
            ("Salad Spinner", 22.0),
            ("Measuring Cups", 12.0),
            ("Teapot", 35.0),
            ("Colander", 18.0),
            ("Spice Rack", 27.0),
        ],
    },
    Category {
        name: "Toys",
        sku_prefix: "TO",
        kind: NameKind::AdjectiveNoun,
        first: &[
            "Wooden",
            "Magnetic",
            "Plush",
            "Remote-Control",
            "Musical",
            "Glow-in-the-Dark",
            "Educational",
            "Stackable",
            "Giant",
            "Rainbow",
        ],
        second: &[
            ("Building Blocks", 35.0),
            ("Train Set", 79.0),
            ("Puzzle 500 Pieces", 15.0),
            ("Teddy Bear", 25.0),
            ("Racing Car", 39.0),
            ("Dinosaur Figure", 12.0),
            ("Kite", 19.0),
            ("Marble Run", 45.0),
            ("Doll House", 99.0),
            ("Xylophone", 22.0),
            ("Board Game", 32.0),
            ("Rocking Horse", 119.0),
            ("Bubble Machine", 24.0),
            ("Robot Kit", 69.0),
            ("Play Kitchen", 129.0),
        ],
    },
    Category {
        name: "Sports",
        sku_prefix: "SP",
        kind: NameKind::AdjectiveNoun,
        first: &[
            "Lightweight",
            "Pro",
            "Adjustable",
            "Breathable",
            "Anti-Slip",
            "Insulated",
            "Carbon",
            "Quick-Dry",
            "Reflective",
            "Compact",
        ],
        second: &[
            ("Yoga Mat", 29.0),
            ("Running Shoes", 109.0),
            ("Dumbbell Set", 79.0),
            ("Resistance Bands", 19.0),
            ("Tennis Racket", 89.0),
            ("Football", 25.0),
            ("Cycling Helmet", 59.0),
            ("Water Bottle 750 ml", 17.0),
            ("Jump Rope", 12.0),
            ("Hiking Backpack 30 L", 89.0),
            ("Swim Goggles", 15.0),
            ("Foam Roller", 24.0),
            ("Kettlebell 12 kg", 45.0),
            ("Trekking Poles", 49.0),
            ("Sports Socks (3 pairs)", 14.0),
        ],
    },
    Category {
        name: "Beauty",
        sku_prefix: "BE",
        kind: NameKind::AdjectiveNoun,
        first: &[
            "Organic",
            "Vegan",
            "Hydrating",
            "Fragrance-Free",
            "Natural",
            "Soothing",
            "Revitalising",
            "Gentle",
            "Travel-Size",
            "Deluxe",
        ],
        second: &[
            ("Face Cream 50 ml", 24.0),
            ("Shampoo", 9.0),
            ("Conditioner", 9.0),
            ("Lip Balm", 4.0),
            ("Body Lotion", 12.0),
            ("Hand Cream", 7.0),
            ("Facial Cleanser", 14.0),
            ("Sunscreen SPF 50", 16.0),
            ("Shower Gel", 6.0),
            ("Hair Oil", 19.0),
            ("Face Mask", 11.0),
            ("Night Serum", 32.0),
            ("Bath Salts", 13.0),
            ("Deodorant", 7.0),
            ("Beard Oil", 17.0),
        ],
    },
    Category {
        name: "Home",
        sku_prefix: "HO",
        kind: NameKind::AdjectiveNoun,
        first: &[
            "Scandinavian",
            "Minimalist",
            "Linen",
            "Velvet",
            "Handwoven",
            "Rustic",
            "Modern",
            "Cotton",
            "Wool",
            "Recycled",
        ],
        second: &[
            ("Throw Pillow", 29.0),
            ("Blanket", 59.0),
            ("Table Lamp", 69.0),
            ("Wall Clock", 39.0),
            ("Storage Basket", 25.0),
            ("Curtain Pair", 49.0),
            ("Doormat", 22.0),
            ("Bookshelf", 149.0),
            ("Picture Frame Set", 35.0),
            ("Scented Candle", 18.0),
            ("Bath Towel Set", 45.0),
            ("Duvet Cover", 69.0),
            ("Rug 160x230 cm", 179.0),
            ("Coat Rack", 55.0),
            ("Vase", 29.0),
        ],
    },
];

/// Bank identifiers used to build IBANs (public bank codes, random account numbers).
pub(crate) const BANKS_DE: &[&str] = &[
    "10010010", "37040044", "50010517", "70150000", "20050550", "12030000", "43060967", "60050101",
];
pub(crate) const BANKS_NL: &[&str] = &[
    "ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ",
];
pub(crate) const BANKS_GB: &[&str] = &["NWBK", "BARC", "LOYD", "HBUK", "MIDL"];
pub(crate) const BANKS_FR: &[u64] = &[30004, 30003, 20041, 30002, 10278, 30066];
pub(crate) const BANKS_ES: &[u32] = &[2100, 49, 182, 81, 128, 2085];
