//! Column-name cues in English, German, French, Spanish, Dutch, Italian and Polish.
//!
//! A name is split into folded tokens (`customerEmail_2` → `customer`, `email`, `2`); a cue
//! matches a token, a run of adjacent tokens written together (`e_mail` → `email`,
//! `geb_datum` → `gebdatum`), or, for long distinctive cues, a substring of the name with its
//! separators removed (`telefonnummer_privat`).

use crate::Category::{self, *};
use crate::vocab::fold;

/// How a cue may match.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    /// Only as a whole token or a run of adjacent tokens.
    Token,
    /// Also inside a longer token (German compounds, `homephone`).
    Sub,
}
use Match::*;

/// (cue, category, confidence, language, how it matches, ambiguous).
/// An ambiguous cue (`name`, `nom`, `address`) needs context: a person qualifier or a person
/// table raises it, a thing qualifier or table drops it.
type CueDef = (&'static str, Category, f32, &'static str, Match, bool);

const STRONG: f32 = 0.75;
const MED: f32 = 0.65;
const WEAK: f32 = 0.55;

#[rustfmt::skip]
const CUES: &[CueDef] = &[
    // name
    ("name", Name, 0.5, "en", Token, true), ("nom", Name, 0.5, "fr", Token, true),
    ("nombre", Name, 0.5, "es", Token, true), ("naam", Name, 0.5, "nl", Token, true),
    ("nome", Name, 0.5, "it", Token, true), ("namen", Name, 0.5, "de", Token, true),
    ("firstname", Name, STRONG, "en", Sub, false), ("givenname", Name, STRONG, "en", Sub, false),
    ("forename", Name, STRONG, "en", Sub, false), ("lastname", Name, STRONG, "en", Sub, false),
    ("surname", Name, STRONG, "en", Sub, false), ("familyname", Name, STRONG, "en", Sub, false),
    ("fullname", Name, STRONG, "en", Sub, false), ("middlename", Name, STRONG, "en", Sub, false),
    ("maidenname", Name, STRONG, "en", Sub, false), ("fname", Name, MED, "en", Token, false),
    ("lname", Name, MED, "en", Token, false), ("displayname", Name, 0.6, "en", Sub, false),
    ("vorname", Name, STRONG, "de", Sub, false), ("nachname", Name, STRONG, "de", Sub, false),
    ("familienname", Name, STRONG, "de", Sub, false), ("geburtsname", Name, STRONG, "de", Sub, false),
    ("vollername", Name, STRONG, "de", Sub, false),
    ("prenom", Name, STRONG, "fr", Sub, false), ("nomdefamille", Name, STRONG, "fr", Sub, false),
    ("nomcomplet", Name, STRONG, "fr", Sub, false), ("nomdenaissance", Name, STRONG, "fr", Sub, false),
    ("apellido", Name, STRONG, "es", Sub, false), ("apellidos", Name, STRONG, "es", Sub, false),
    ("nombrecompleto", Name, STRONG, "es", Sub, false),
    ("voornaam", Name, STRONG, "nl", Sub, false), ("achternaam", Name, STRONG, "nl", Sub, false),
    ("familienaam", Name, STRONG, "nl", Sub, false), ("tussenvoegsel", Name, MED, "nl", Sub, false),
    ("cognome", Name, STRONG, "it", Sub, false), ("nomecompleto", Name, STRONG, "it", Sub, false),
    ("imie", Name, STRONG, "pl", Token, false), ("nazwisko", Name, STRONG, "pl", Sub, false),
    ("imieinazwisko", Name, STRONG, "pl", Sub, false),
    // email
    ("email", Email, STRONG, "en", Sub, false), ("mail", Email, MED, "en", Token, false),
    ("emailaddress", Email, STRONG, "en", Sub, false), ("mailaddress", Email, STRONG, "en", Sub, false),
    ("emailadresse", Email, STRONG, "de", Sub, false), ("mailadresse", Email, STRONG, "de", Sub, false),
    ("courriel", Email, STRONG, "fr", Sub, false), ("adressemail", Email, STRONG, "fr", Sub, false),
    ("adresseemail", Email, STRONG, "fr", Sub, false), ("correo", Email, STRONG, "es", Sub, false),
    ("correoelectronico", Email, STRONG, "es", Sub, false), ("emailadres", Email, STRONG, "nl", Sub, false),
    ("mailadres", Email, STRONG, "nl", Sub, false), ("postaelettronica", Email, STRONG, "it", Sub, false),
    ("indirizzoemail", Email, STRONG, "it", Sub, false), ("adresemail", Email, STRONG, "pl", Sub, false),
    ("poczta", Email, MED, "pl", Token, false),
    // phone
    ("phone", Phone, STRONG, "en", Sub, false), ("telephone", Phone, STRONG, "en", Sub, false),
    ("tel", Phone, MED, "en", Token, false), ("mobile", Phone, MED, "en", Token, false),
    ("mobilephone", Phone, STRONG, "en", Sub, false), ("cell", Phone, MED, "en", Token, false),
    ("cellphone", Phone, STRONG, "en", Sub, false), ("fax", Phone, MED, "en", Token, false),
    ("msisdn", Phone, STRONG, "en", Sub, false),
    ("telefon", Phone, STRONG, "de", Sub, false), ("telefonnummer", Phone, STRONG, "de", Sub, false),
    ("rufnummer", Phone, STRONG, "de", Sub, false), ("handy", Phone, MED, "de", Token, false),
    ("mobil", Phone, MED, "de", Token, false), ("handynummer", Phone, STRONG, "de", Sub, false),
    ("portable", Phone, MED, "fr", Token, false), ("numerodetelephone", Phone, STRONG, "fr", Sub, false),
    ("telefono", Phone, STRONG, "es", Sub, false), ("movil", Phone, MED, "es", Token, false),
    ("celular", Phone, MED, "es", Token, false),
    ("telefoon", Phone, STRONG, "nl", Sub, false), ("telefoonnummer", Phone, STRONG, "nl", Sub, false),
    ("mobiel", Phone, MED, "nl", Token, false), ("gsm", Phone, MED, "nl", Token, false),
    ("cellulare", Phone, STRONG, "it", Sub, false), ("numeroditelefono", Phone, STRONG, "it", Sub, false),
    ("komorka", Phone, MED, "pl", Token, false), ("numertelefonu", Phone, STRONG, "pl", Sub, false),
    ("nrtel", Phone, STRONG, "pl", Token, false),
    // street address
    ("address", StreetAddress, MED, "en", Token, true), ("addr", StreetAddress, MED, "en", Token, true),
    ("street", StreetAddress, MED, "en", Sub, false), ("streetaddress", StreetAddress, STRONG, "en", Sub, false),
    ("addressline", StreetAddress, STRONG, "en", Sub, false), ("homeaddress", StreetAddress, STRONG, "en", Sub, false),
    ("housenumber", StreetAddress, MED, "en", Sub, false),
    ("adresse", StreetAddress, MED, "de", Token, true), ("strasse", StreetAddress, STRONG, "de", Sub, false),
    ("hausnummer", StreetAddress, MED, "de", Sub, false), ("anschrift", StreetAddress, STRONG, "de", Sub, false),
    ("wohnadresse", StreetAddress, STRONG, "de", Sub, false),
    ("rue", StreetAddress, MED, "fr", Token, false), ("adressepostale", StreetAddress, STRONG, "fr", Sub, false),
    ("direccion", StreetAddress, STRONG, "es", Sub, false), ("calle", StreetAddress, MED, "es", Token, false),
    ("domicilio", StreetAddress, STRONG, "es", Sub, false),
    ("adres", StreetAddress, MED, "nl", Token, true), ("straat", StreetAddress, STRONG, "nl", Sub, false),
    ("huisnummer", StreetAddress, MED, "nl", Sub, false), ("straatnaam", StreetAddress, STRONG, "nl", Sub, false),
    ("indirizzo", StreetAddress, STRONG, "it", Sub, false), ("via", StreetAddress, WEAK, "it", Token, false),
    ("ulica", StreetAddress, STRONG, "pl", Sub, false), ("adreszamieszkania", StreetAddress, STRONG, "pl", Sub, false),
    // postal code
    ("zip", PostalCode, STRONG, "en", Token, false), ("zipcode", PostalCode, STRONG, "en", Sub, false),
    ("postcode", PostalCode, STRONG, "en", Sub, false), ("postalcode", PostalCode, STRONG, "en", Sub, false),
    ("plz", PostalCode, STRONG, "de", Token, false), ("postleitzahl", PostalCode, STRONG, "de", Sub, false),
    ("codepostal", PostalCode, STRONG, "fr", Sub, false), ("cp", PostalCode, WEAK, "fr", Token, false),
    ("codigopostal", PostalCode, STRONG, "es", Sub, false),
    ("cap", PostalCode, WEAK, "it", Token, false), ("codicepostale", PostalCode, STRONG, "it", Sub, false),
    ("kodpocztowy", PostalCode, STRONG, "pl", Sub, false),
    // city
    ("city", City, MED, "en", Token, false), ("town", City, MED, "en", Token, false),
    ("ort", City, MED, "de", Token, false), ("stadt", City, MED, "de", Token, false),
    ("wohnort", City, STRONG, "de", Sub, false),
    ("ville", City, MED, "fr", Token, false), ("commune", City, WEAK, "fr", Token, false),
    ("ciudad", City, MED, "es", Token, false), ("localidad", City, MED, "es", Token, false),
    ("plaats", City, MED, "nl", Token, false), ("woonplaats", City, STRONG, "nl", Sub, false),
    ("citta", City, MED, "it", Token, false), ("comune", City, WEAK, "it", Token, false),
    ("miasto", City, MED, "pl", Token, false), ("miejscowosc", City, MED, "pl", Sub, false),
    // geo
    ("lat", GeoLocation, MED, "en", Token, false), ("latitude", GeoLocation, STRONG, "en", Sub, false),
    ("lng", GeoLocation, MED, "en", Token, false), ("lon", GeoLocation, MED, "en", Token, false),
    ("longitude", GeoLocation, STRONG, "en", Sub, false), ("geo", GeoLocation, MED, "en", Token, false),
    ("geolocation", GeoLocation, STRONG, "en", Sub, false), ("coordinates", GeoLocation, STRONG, "en", Sub, false),
    ("coords", GeoLocation, MED, "en", Token, false), ("geohash", GeoLocation, STRONG, "en", Sub, false),
    ("latlng", GeoLocation, STRONG, "en", Sub, false), ("latlon", GeoLocation, STRONG, "en", Sub, false),
    ("gps", GeoLocation, MED, "en", Token, false), ("location", GeoLocation, WEAK, "en", Token, true),
    ("breitengrad", GeoLocation, STRONG, "de", Sub, false), ("langengrad", GeoLocation, STRONG, "de", Sub, false),
    ("laengengrad", GeoLocation, STRONG, "de", Sub, false), ("koordinaten", GeoLocation, STRONG, "de", Sub, false),
    ("standort", GeoLocation, WEAK, "de", Token, true),
    ("latitud", GeoLocation, STRONG, "es", Sub, false), ("longitud", GeoLocation, MED, "es", Token, false),
    ("coordenadas", GeoLocation, STRONG, "es", Sub, false),
    ("breedtegraad", GeoLocation, STRONG, "nl", Sub, false), ("lengtegraad", GeoLocation, STRONG, "nl", Sub, false),
    ("latitudine", GeoLocation, STRONG, "it", Sub, false), ("longitudine", GeoLocation, STRONG, "it", Sub, false),
    ("wspolrzedne", GeoLocation, STRONG, "pl", Sub, false),
    // network and device
    ("ip", IpAddress, MED, "en", Token, false), ("ipaddress", IpAddress, STRONG, "en", Sub, false),
    ("ipaddr", IpAddress, STRONG, "en", Sub, false), ("ipv4", IpAddress, STRONG, "en", Sub, false),
    ("ipv6", IpAddress, STRONG, "en", Sub, false), ("clientip", IpAddress, STRONG, "en", Sub, false),
    ("remoteaddr", IpAddress, STRONG, "en", Sub, false), ("ipadresse", IpAddress, STRONG, "de", Sub, false),
    ("adresseip", IpAddress, STRONG, "fr", Sub, false), ("direccionip", IpAddress, STRONG, "es", Sub, false),
    ("ipadres", IpAddress, STRONG, "nl", Sub, false), ("indirizzoip", IpAddress, STRONG, "it", Sub, false),
    ("adresip", IpAddress, STRONG, "pl", Sub, false),
    ("mac", MacAddress, MED, "en", Token, false), ("macaddress", MacAddress, STRONG, "en", Sub, false),
    ("macaddr", MacAddress, STRONG, "en", Sub, false), ("hwaddr", MacAddress, STRONG, "en", Sub, false),
    ("macadresse", MacAddress, STRONG, "de", Sub, false), ("adressemac", MacAddress, STRONG, "fr", Sub, false),
    ("deviceid", DeviceId, STRONG, "en", Sub, false), ("imei", DeviceId, STRONG, "en", Sub, false),
    ("udid", DeviceId, STRONG, "en", Token, false), ("idfa", DeviceId, STRONG, "en", Token, false),
    ("gaid", DeviceId, STRONG, "en", Token, false), ("advertisingid", DeviceId, STRONG, "en", Sub, false),
    ("adid", DeviceId, MED, "en", Token, false), ("pushtoken", DeviceId, STRONG, "en", Sub, false),
    ("devicetoken", DeviceId, STRONG, "en", Sub, false), ("fcmtoken", DeviceId, STRONG, "en", Sub, false),
    ("apnstoken", DeviceId, STRONG, "en", Sub, false), ("deviceserial", DeviceId, STRONG, "en", Sub, false),
    ("geraeteid", DeviceId, STRONG, "de", Sub, false), ("geratid", DeviceId, STRONG, "de", Sub, false),
    ("gerateid", DeviceId, STRONG, "de", Sub, false), ("identifiantappareil", DeviceId, STRONG, "fr", Sub, false),
    ("iddispositivo", DeviceId, STRONG, "es", Sub, false),
    ("aaid", DeviceId, STRONG, "en", Token, false), ("androidid", DeviceId, STRONG, "en", Sub, false),
    ("installationid", DeviceId, STRONG, "en", Sub, false), ("werbeid", DeviceId, STRONG, "de", Sub, false),
    ("idappareil", DeviceId, STRONG, "fr", Sub, false), ("appareilid", DeviceId, STRONG, "fr", Sub, false),
    ("idpublicidad", DeviceId, STRONG, "es", Sub, false), ("idpubblicita", DeviceId, STRONG, "it", Sub, false),
    ("apparaatid", DeviceId, STRONG, "nl", Sub, false), ("idurzadzenia", DeviceId, STRONG, "pl", Sub, false),
    ("idreklamowy", DeviceId, STRONG, "pl", Sub, false),
    // accounts and web
    ("username", Username, STRONG, "en", Sub, false), ("login", Username, MED, "en", Token, false),
    // Logins under a bare `user` or `assigned_to` (OpenEMR, Matomo's `user_id` string).
    ("user", Username, WEAK, "en", Token, true), ("assignedto", Username, WEAK, "en", Sub, true),
    ("url", UrlPersonal, WEAK, "en", Token, true), ("web", UrlPersonal, WEAK, "en", Token, true),
    ("loginname", Username, STRONG, "en", Sub, false), ("handle", Username, WEAK, "en", Token, false),
    ("nickname", Username, STRONG, "en", Sub, false), ("screenname", Username, STRONG, "en", Sub, false),
    ("benutzername", Username, STRONG, "de", Sub, false), ("anmeldename", Username, STRONG, "de", Sub, false),
    ("identifiant", Username, MED, "fr", Token, false), ("pseudo", Username, MED, "fr", Token, false),
    ("nomutilisateur", Username, STRONG, "fr", Sub, false), ("nombredeusuario", Username, STRONG, "es", Sub, false),
    ("usuario", Username, MED, "es", Token, false), ("gebruikersnaam", Username, STRONG, "nl", Sub, false),
    ("nomeutente", Username, STRONG, "it", Sub, false), ("nazwauzytkownika", Username, STRONG, "pl", Sub, false),
    ("website", UrlPersonal, WEAK, "en", Token, false), ("homepage", UrlPersonal, WEAK, "en", Token, false),
    ("profileurl", UrlPersonal, STRONG, "en", Sub, false), ("linkedin", UrlPersonal, STRONG, "en", Sub, false),
    ("twitter", UrlPersonal, MED, "en", Sub, false), ("facebook", UrlPersonal, MED, "en", Sub, false),
    ("instagram", UrlPersonal, MED, "en", Sub, false), ("github", UrlPersonal, MED, "en", Sub, false),
    ("webseite", UrlPersonal, WEAK, "de", Token, false), ("siteweb", UrlPersonal, WEAK, "fr", Sub, false),
    ("sitioweb", UrlPersonal, WEAK, "es", Sub, false),
    // common schema abbreviations
    ("nm", Name, MED, "en", Token, true), ("fullnm", Name, STRONG, "en", Sub, false),
    ("firstnm", Name, STRONG, "en", Sub, false), ("lastnm", Name, STRONG, "en", Sub, false),
    ("custnm", Name, MED, "en", Sub, false), ("ln", Name, WEAK, "en", Token, true),
    ("fn", Name, WEAK, "en", Token, true), ("twn", City, MED, "en", Token, false),
    ("stad", City, MED, "nl", Token, false), ("occ", Job, MED, "en", Token, true),
    ("postitle", Job, STRONG, "en", Sub, false), ("mansione", Job, STRONG, "it", Sub, false),
    ("professione", Job, STRONG, "it", Sub, false), ("vehicleregistration", VehicleId, STRONG, "en", Sub, false),
    ("regplate", VehicleId, STRONG, "en", Sub, false), ("natid", NationalId, STRONG, "en", Sub, false),
    ("usr", Username, MED, "en", Token, false), ("fcm", DeviceId, MED, "en", Token, false),
    ("pc", PostalCode, WEAK, "en", Token, true), ("dx", Health, STRONG, "en", Token, false),
    ("disab", Health, MED, "en", Token, false), ("accessibilityneeds", Health, MED, "en", Sub, false),
    ("a11y", Health, WEAK, "en", Token, false), ("cond", Health, WEAK, "en", Token, true),
    ("ethn", EthnicOrigin, STRONG, "en", Token, false), ("eth", EthnicOrigin, WEAK, "en", Token, true),
    ("relig", Religion, STRONG, "en", Token, false), ("polit", PoliticalOpinion, MED, "en", Token, false),
    ("polview", PoliticalOpinion, STRONG, "en", Sub, false), ("politicalview", PoliticalOpinion, STRONG, "en", Sub, false),
    ("opinionpolitique", PoliticalOpinion, STRONG, "fr", Sub, false), ("politiekevoorkeur", PoliticalOpinion, STRONG, "nl", Sub, false),
    ("partyaffiliation", PoliticalOpinion, STRONG, "en", Sub, false), ("fingerprint", Biometric, STRONG, "en", Sub, false),
    ("fprint", Biometric, STRONG, "en", Sub, false), ("fptmpl", Biometric, STRONG, "en", Sub, false),
    ("geno", Genetic, STRONG, "en", Token, false), ("grosssal", Income, STRONG, "en", Sub, false),
    ("crscore", Income, MED, "en", Sub, false), ("sqanswer", Credentials, STRONG, "en", Sub, false),
    ("dlno", DriversLicense, STRONG, "en", Sub, false),
    // more abbreviations and compounds
    ("snm", Name, MED, "en", Token, false), ("mname", Name, MED, "en", Token, false),
    ("zweitname", Name, STRONG, "de", Sub, false), ("kundenname", Name, STRONG, "de", Sub, false),
    ("patientenname", Name, STRONG, "de", Sub, false), ("mitarbeitername", Name, STRONG, "de", Sub, false),
    ("klantnaam", Name, STRONG, "nl", Sub, false), ("eml", Email, MED, "en", Token, false),
    ("mob", Phone, MED, "en", Token, false), ("haddr", StreetAddress, STRONG, "en", Token, false),
    ("woonadres", StreetAddress, STRONG, "nl", Sub, false), ("cty", City, MED, "en", Token, false),
    ("lastknownposition", GeoLocation, STRONG, "en", Sub, false), ("coordonnees", GeoLocation, STRONG, "fr", Sub, false),
    ("ghash", GeoLocation, STRONG, "en", Token, false), ("gh", GeoLocation, WEAK, "en", Token, false),
    ("advertentieid", DeviceId, STRONG, "nl", Sub, false), ("pushtok", DeviceId, STRONG, "en", Sub, false),
    ("pushkennung", DeviceId, STRONG, "de", Sub, false), ("jetonpush", DeviceId, STRONG, "fr", Sub, false),
    ("pushsleutel", DeviceId, STRONG, "nl", Sub, false), ("devsn", DeviceId, MED, "en", Token, false),
    ("serialnumber", DeviceId, WEAK, "en", Sub, false), ("seriennummer", DeviceId, WEAK, "de", Sub, false),
    ("numerodeserie", DeviceId, WEAK, "fr", Sub, false), ("serienummer", DeviceId, WEAK, "nl", Sub, false),
    ("numeroseriale", DeviceId, WEAK, "it", Sub, false), ("numerseryjny", DeviceId, WEAK, "pl", Sub, false),
    ("uname", Username, MED, "en", Token, false), ("socialprofile", UrlPersonal, STRONG, "en", Sub, false),
    ("profurl", UrlPersonal, MED, "en", Sub, false), ("profillink", UrlPersonal, STRONG, "de", Sub, false),
    ("lienprofil", UrlPersonal, STRONG, "fr", Sub, false), ("perfilurl", UrlPersonal, STRONG, "es", Sub, false),
    ("profiellink", UrlPersonal, STRONG, "nl", Sub, false), ("profilourl", UrlPersonal, STRONG, "it", Sub, false),
    ("regno", VehicleId, MED, "en", Token, false), ("rejestracyjny", VehicleId, STRONG, "pl", Sub, false),
    ("vehicleidentificationnumber", VehicleId, STRONG, "en", Sub, false), ("chassisnumber", VehicleId, STRONG, "en", Sub, false),
    ("chassis", VehicleId, MED, "en", Token, false), ("bastidor", VehicleId, STRONG, "es", Sub, false),
    ("chassisnummer", VehicleId, STRONG, "nl", Sub, false), ("telaio", VehicleId, MED, "it", Sub, false),
    ("bdate", DateOfBirth, STRONG, "en", Token, false), ("birthdt", DateOfBirth, STRONG, "en", Sub, false),
    ("bornon", DateOfBirth, STRONG, "en", Sub, false), ("nele", DateOfBirth, MED, "fr", Token, false),
    ("nacidoel", DateOfBirth, STRONG, "es", Sub, false), ("geborenop", DateOfBirth, STRONG, "nl", Sub, false),
    ("natoil", DateOfBirth, STRONG, "it", Sub, false), ("urodzony", DateOfBirth, STRONG, "pl", Sub, false),
    ("ag", Age, WEAK, "en", Token, false), ("gndr", Gender, STRONG, "en", Token, false),
    ("sx", Gender, MED, "en", Token, false), ("nat", Nationality, WEAK, "en", Token, false),
    ("natcd", Nationality, MED, "en", Sub, false), ("citizenshipcountry", Nationality, STRONG, "en", Sub, false),
    ("obywatelstwa", Nationality, STRONG, "pl", Sub, false), ("marst", MaritalStatus, MED, "en", Sub, false),
    ("mstat", MaritalStatus, MED, "en", Token, false), ("nin", NationalId, MED, "en", Token, false),
    ("citizenservicenumber", NationalId, STRONG, "en", Sub, false),
    ("ppn", PassportNumber, MED, "en", Token, false), ("ppnum", PassportNumber, STRONG, "en", Sub, false),
    ("passno", PassportNumber, MED, "en", Token, false), ("dln", DriversLicense, MED, "en", Token, false),
    ("licno", DriversLicense, MED, "en", Token, false), ("numeropermis", DriversLicense, STRONG, "fr", Sub, false),
    ("permisoconducir", DriversLicense, STRONG, "es", Sub, false), ("prawajazdy", DriversLicense, STRONG, "pl", Sub, false),
    ("taxpayerreference", TaxId, STRONG, "en", Sub, false), ("taxno", TaxId, STRONG, "en", Sub, false),
    ("taxpayer", TaxId, MED, "en", Sub, false), ("cc", CreditCard, WEAK, "en", Token, false),
    ("cardno", CreditCard, STRONG, "en", Sub, false), ("acct", BankAccount, WEAK, "en", Token, false),
    ("bankacc", BankAccount, STRONG, "en", Sub, false), ("numerocuenta", BankAccount, STRONG, "es", Sub, false),
    ("coordinatebancarie", BankAccount, STRONG, "it", Sub, false), ("rachunekbankowy", BankAccount, STRONG, "pl", Sub, false),
    ("sal", Income, MED, "en", Token, false), ("fico", Income, STRONG, "en", Sub, false),
    ("bonitaet", Income, STRONG, "de", Sub, false), ("scorecredit", Income, STRONG, "fr", Sub, false),
    ("puntuacioncredito", Income, STRONG, "es", Sub, false), ("kredietscore", Income, STRONG, "nl", Sub, false),
    ("punteggiocredito", Income, STRONG, "it", Sub, false), ("scoringkredytowy", Income, STRONG, "pl", Sub, false),
    ("pwhash", Credentials, STRONG, "en", Sub, false), ("apischluessel", Credentials, STRONG, "de", Sub, false),
    ("zugangstoken", Credentials, STRONG, "de", Sub, false), ("cleapi", Credentials, STRONG, "fr", Sub, false),
    ("jetonacces", Credentials, STRONG, "fr", Sub, false), ("apisleutel", Credentials, STRONG, "nl", Sub, false),
    ("toegangstoken", Credentials, STRONG, "nl", Sub, false), ("chiaveapi", Credentials, STRONG, "it", Sub, false),
    ("kluczapi", Credentials, STRONG, "pl", Sub, false), ("pw", Credentials, MED, "en", Token, false),
    ("paroladordine", Credentials, STRONG, "it", Sub, false), ("secans", Credentials, STRONG, "en", Sub, false),
    ("sicherheitsantwort", Credentials, STRONG, "de", Sub, false), ("reponsesecrete", Credentials, STRONG, "fr", Sub, false),
    ("respuestasecreta", Credentials, STRONG, "es", Sub, false), ("beveiligingsantwoord", Credentials, STRONG, "nl", Sub, false),
    ("rispostasegreta", Credentials, STRONG, "it", Sub, false), ("odpowiedzbezpieczenstwa", Credentials, STRONG, "pl", Sub, false),
    // vehicles
    ("vin", VehicleId, STRONG, "en", Token, false), ("licenseplate", VehicleId, STRONG, "en", Sub, false),
    ("licenceplate", VehicleId, STRONG, "en", Sub, false), ("numberplate", VehicleId, STRONG, "en", Sub, false),
    ("plate", VehicleId, MED, "en", Token, false), ("registrationnumber", VehicleId, WEAK, "en", Sub, false),
    ("kennzeichen", VehicleId, STRONG, "de", Sub, false), ("nummernschild", VehicleId, STRONG, "de", Sub, false),
    ("fahrgestellnummer", VehicleId, STRONG, "de", Sub, false), ("immatriculation", VehicleId, STRONG, "fr", Sub, false),
    ("plaque", VehicleId, MED, "fr", Token, false), ("matricula", VehicleId, STRONG, "es", Sub, false),
    ("kenteken", VehicleId, STRONG, "nl", Sub, false), ("targa", VehicleId, STRONG, "it", Token, false),
    ("rejestracja", VehicleId, STRONG, "pl", Sub, false), ("numerrejestracyjny", VehicleId, STRONG, "pl", Sub, false),
    // demographics
    ("dob", DateOfBirth, STRONG, "en", Token, false), ("birthdate", DateOfBirth, STRONG, "en", Sub, false),
    ("dateofbirth", DateOfBirth, STRONG, "en", Sub, false), ("birthday", DateOfBirth, STRONG, "en", Sub, false),
    ("bday", DateOfBirth, MED, "en", Token, false), ("born", DateOfBirth, MED, "en", Token, false),
    ("geburtsdatum", DateOfBirth, STRONG, "de", Sub, false), ("gebdatum", DateOfBirth, STRONG, "de", Sub, false),
    ("geburtstag", DateOfBirth, STRONG, "de", Sub, false), ("gebdat", DateOfBirth, STRONG, "de", Token, false),
    ("datedenaissance", DateOfBirth, STRONG, "fr", Sub, false), ("datenaissance", DateOfBirth, STRONG, "fr", Sub, false),
    ("naissance", DateOfBirth, STRONG, "fr", Sub, false), ("fechadenacimiento", DateOfBirth, STRONG, "es", Sub, false),
    ("fechanacimiento", DateOfBirth, STRONG, "es", Sub, false), ("nacimiento", DateOfBirth, STRONG, "es", Sub, false),
    ("geboortedatum", DateOfBirth, STRONG, "nl", Sub, false), ("datadinascita", DateOfBirth, STRONG, "it", Sub, false),
    ("datanascita", DateOfBirth, STRONG, "it", Sub, false), ("nascita", DateOfBirth, MED, "it", Sub, false),
    ("dataurodzenia", DateOfBirth, STRONG, "pl", Sub, false), ("urodzenia", DateOfBirth, STRONG, "pl", Sub, false),
    ("age", Age, MED, "en", Token, false), ("alter", Age, MED, "de", Token, false),
    ("age", Age, MED, "fr", Token, false), ("edad", Age, MED, "es", Token, false),
    ("leeftijd", Age, STRONG, "nl", Sub, false), ("eta", Age, WEAK, "it", Token, false),
    ("wiek", Age, MED, "pl", Token, false),
    ("gender", Gender, STRONG, "en", Sub, false), ("sex", Gender, STRONG, "en", Token, false),
    ("geschlecht", Gender, STRONG, "de", Sub, false), ("sexe", Gender, STRONG, "fr", Token, false),
    ("genre", Gender, WEAK, "fr", Token, false), ("sexo", Gender, STRONG, "es", Token, false),
    ("genero", Gender, MED, "es", Token, false), ("geslacht", Gender, STRONG, "nl", Sub, false),
    ("sesso", Gender, STRONG, "it", Token, false), ("genere", Gender, MED, "it", Token, false),
    ("plec", Gender, STRONG, "pl", Token, false),
    ("nationality", Nationality, STRONG, "en", Sub, false), ("citizenship", Nationality, STRONG, "en", Sub, false),
    ("nationalitat", Nationality, STRONG, "de", Sub, false), ("staatsangehorigkeit", Nationality, STRONG, "de", Sub, false),
    ("staatsangehoerigkeit", Nationality, STRONG, "de", Sub, false), ("nationalite", Nationality, STRONG, "fr", Sub, false),
    ("nacionalidad", Nationality, STRONG, "es", Sub, false), ("nationaliteit", Nationality, STRONG, "nl", Sub, false),
    ("nazionalita", Nationality, STRONG, "it", Sub, false), ("cittadinanza", Nationality, STRONG, "it", Sub, false),
    ("narodowosc", Nationality, STRONG, "pl", Sub, false), ("obywatelstwo", Nationality, STRONG, "pl", Sub, false),
    ("natl", Nationality, MED, "en", Token, false), ("citz", Nationality, MED, "en", Token, false),
    ("citizen", Nationality, MED, "en", Token, false), ("nationalitaet", Nationality, STRONG, "de", Sub, false),
    ("maritalstatus", MaritalStatus, STRONG, "en", Sub, false), ("marital", MaritalStatus, STRONG, "en", Sub, false),
    ("civilstatus", MaritalStatus, STRONG, "en", Sub, false), ("familienstand", MaritalStatus, STRONG, "de", Sub, false),
    ("situationfamiliale", MaritalStatus, STRONG, "fr", Sub, false), ("etatcivil", MaritalStatus, STRONG, "fr", Sub, false),
    ("estadocivil", MaritalStatus, STRONG, "es", Sub, false), ("burgerlijkestaat", MaritalStatus, STRONG, "nl", Sub, false),
    ("statocivile", MaritalStatus, STRONG, "it", Sub, false), ("stancywilny", MaritalStatus, STRONG, "pl", Sub, false),
    ("job", Job, MED, "en", Token, true), ("jobtitle", Job, STRONG, "en", Sub, false),
    ("occupation", Job, STRONG, "en", Sub, false), ("profession", Job, STRONG, "en", Sub, false),
    ("employer", Job, MED, "en", Sub, false),
    ("beruf", Job, STRONG, "de", Sub, false), ("arbeitgeber", Job, MED, "de", Sub, false),
    ("taetigkeit", Job, MED, "de", Sub, false), ("tatigkeit", Job, MED, "de", Sub, false),
    ("metier", Job, MED, "fr", Token, false), ("emploi", Job, MED, "fr", Token, false),
    ("employeur", Job, MED, "fr", Sub, false), ("profesion", Job, STRONG, "es", Sub, false),
    ("ocupacion", Job, STRONG, "es", Sub, false), ("puesto", Job, MED, "es", Token, false),
    ("empleador", Job, MED, "es", Sub, false), ("beroep", Job, STRONG, "nl", Sub, false),
    ("functie", Job, MED, "nl", Token, false), ("werkgever", Job, MED, "nl", Sub, false),
    ("professione", Job, STRONG, "it", Sub, false), ("occupazione", Job, STRONG, "it", Sub, false),
    ("zawod", Job, STRONG, "pl", Token, false), ("stanowisko", Job, MED, "pl", Sub, false),
    ("pracodawca", Job, MED, "pl", Sub, false),
    // government identifiers
    ("ssn", NationalId, STRONG, "en", Token, false), ("socialsecurity", NationalId, STRONG, "en", Sub, false),
    ("nationalid", NationalId, STRONG, "en", Sub, false), ("nino", NationalId, STRONG, "en", Token, false),
    ("nationalinsurance", NationalId, STRONG, "en", Sub, false), ("idcard", NationalId, MED, "en", Sub, false),
    ("personalausweis", NationalId, STRONG, "de", Sub, false), ("ausweisnummer", NationalId, STRONG, "de", Sub, false),
    ("sozialversicherungsnummer", NationalId, STRONG, "de", Sub, false), ("svnr", NationalId, STRONG, "de", Token, false),
    ("steuerid", NationalId, STRONG, "de", Sub, false), ("steueridentifikationsnummer", NationalId, STRONG, "de", Sub, false),
    ("nir", NationalId, STRONG, "fr", Token, false), ("insee", NationalId, MED, "fr", Token, false),
    ("numerosecu", NationalId, STRONG, "fr", Sub, false), ("securitesociale", NationalId, STRONG, "fr", Sub, false),
    ("dni", NationalId, STRONG, "es", Token, false), ("nie", NationalId, MED, "es", Token, false),
    ("documentoidentidad", NationalId, STRONG, "es", Sub, false),
    ("bsn", NationalId, STRONG, "nl", Token, false), ("burgerservicenummer", NationalId, STRONG, "nl", Sub, false),
    ("sofinummer", NationalId, STRONG, "nl", Sub, false),
    ("codicefiscale", NationalId, STRONG, "it", Sub, false), ("cf", NationalId, WEAK, "it", Token, false),
    ("pesel", NationalId, STRONG, "pl", Sub, false), ("dowodosobisty", NationalId, STRONG, "pl", Sub, false),
    ("passport", PassportNumber, STRONG, "en", Sub, false), ("reisepass", PassportNumber, STRONG, "de", Sub, false),
    ("passnummer", PassportNumber, STRONG, "de", Sub, false), ("passeport", PassportNumber, STRONG, "fr", Sub, false),
    ("pasaporte", PassportNumber, STRONG, "es", Sub, false), ("paspoort", PassportNumber, STRONG, "nl", Sub, false),
    ("passaporto", PassportNumber, STRONG, "it", Sub, false), ("paszport", PassportNumber, STRONG, "pl", Sub, false),
    ("driverslicense", DriversLicense, STRONG, "en", Sub, false), ("driverlicense", DriversLicense, STRONG, "en", Sub, false),
    ("drivinglicence", DriversLicense, STRONG, "en", Sub, false), ("drivinglicense", DriversLicense, STRONG, "en", Sub, false),
    ("driverslicence", DriversLicense, STRONG, "en", Sub, false),
    ("fuhrerschein", DriversLicense, STRONG, "de", Sub, false), ("fuehrerschein", DriversLicense, STRONG, "de", Sub, false),
    ("permisdeconduire", DriversLicense, STRONG, "fr", Sub, false), ("permisconduire", DriversLicense, STRONG, "fr", Sub, false),
    ("carnetdeconducir", DriversLicense, STRONG, "es", Sub, false), ("licenciadeconducir", DriversLicense, STRONG, "es", Sub, false),
    ("rijbewijs", DriversLicense, STRONG, "nl", Sub, false), ("patentediguida", DriversLicense, STRONG, "it", Sub, false),
    ("patente", DriversLicense, MED, "it", Token, false), ("prawojazdy", DriversLicense, STRONG, "pl", Sub, false),
    ("taxid", TaxId, STRONG, "en", Sub, false), ("taxnumber", TaxId, STRONG, "en", Sub, false),
    ("tin", TaxId, MED, "en", Token, false), ("itin", TaxId, STRONG, "en", Token, false),
    ("utr", TaxId, MED, "en", Token, false), ("steuernummer", TaxId, STRONG, "de", Sub, false),
    ("numerofiscal", TaxId, STRONG, "fr", Sub, false), ("nif", TaxId, STRONG, "es", Token, false),
    ("fiscaalnummer", TaxId, STRONG, "nl", Sub, false), ("nip", TaxId, MED, "pl", Token, false),
    // financial
    ("creditcard", CreditCard, STRONG, "en", Sub, false), ("cardnumber", CreditCard, STRONG, "en", Sub, false),
    ("ccnumber", CreditCard, STRONG, "en", Sub, false), ("ccnum", CreditCard, STRONG, "en", Sub, false),
    ("pan", CreditCard, MED, "en", Token, false), ("cvv", CreditCard, STRONG, "en", Token, false),
    ("cvc", CreditCard, STRONG, "en", Token, false),
    ("kreditkarte", CreditCard, STRONG, "de", Sub, false), ("kartennummer", CreditCard, STRONG, "de", Sub, false),
    ("cartebancaire", CreditCard, STRONG, "fr", Sub, false), ("numerocarte", CreditCard, STRONG, "fr", Sub, false),
    ("cartedecredit", CreditCard, STRONG, "fr", Sub, false), ("tarjeta", CreditCard, STRONG, "es", Sub, false),
    ("creditcardnummer", CreditCard, STRONG, "nl", Sub, false), ("kaartnummer", CreditCard, STRONG, "nl", Sub, false),
    ("cartadicredito", CreditCard, STRONG, "it", Sub, false), ("numerocarta", CreditCard, STRONG, "it", Sub, false),
    ("kartakredytowa", CreditCard, STRONG, "pl", Sub, false), ("numerkarty", CreditCard, STRONG, "pl", Sub, false),
    ("iban", BankAccount, STRONG, "en", Sub, false), ("bankaccount", BankAccount, STRONG, "en", Sub, false),
    ("accountnumber", BankAccount, WEAK, "en", Sub, false), ("sortcode", BankAccount, STRONG, "en", Sub, false),
    ("routingnumber", BankAccount, MED, "en", Sub, false),
    ("kontonummer", BankAccount, STRONG, "de", Sub, false), ("bankverbindung", BankAccount, STRONG, "de", Sub, false),
    ("rib", BankAccount, MED, "fr", Token, false), ("comptebancaire", BankAccount, STRONG, "fr", Sub, false),
    ("cuentabancaria", BankAccount, STRONG, "es", Sub, false), ("numerodecuenta", BankAccount, STRONG, "es", Sub, false),
    ("rekeningnummer", BankAccount, STRONG, "nl", Sub, false), ("bankrekening", BankAccount, STRONG, "nl", Sub, false),
    ("contocorrente", BankAccount, STRONG, "it", Sub, false), ("numerokonta", BankAccount, STRONG, "pl", Sub, false),
    ("numerkonta", BankAccount, STRONG, "pl", Sub, false), ("nrkonta", BankAccount, STRONG, "pl", Sub, false),
    ("salary", Income, STRONG, "en", Sub, false), ("income", Income, STRONG, "en", Sub, false),
    ("wage", Income, MED, "en", Token, false), ("wages", Income, MED, "en", Token, false),
    ("earnings", Income, MED, "en", Sub, false), ("creditscore", Income, STRONG, "en", Sub, false),
    ("gehalt", Income, STRONG, "de", Sub, false), ("lohn", Income, MED, "de", Token, false),
    ("einkommen", Income, STRONG, "de", Sub, false), ("bruttogehalt", Income, STRONG, "de", Sub, false),
    ("schufa", Income, STRONG, "de", Sub, false),
    ("salaire", Income, STRONG, "fr", Sub, false), ("revenu", Income, MED, "fr", Token, false),
    ("salario", Income, STRONG, "es", Sub, false), ("sueldo", Income, STRONG, "es", Sub, false),
    ("ingresos", Income, MED, "es", Sub, false), ("salaris", Income, STRONG, "nl", Sub, false),
    ("inkomen", Income, STRONG, "nl", Sub, false), ("loon", Income, MED, "nl", Token, false),
    ("stipendio", Income, STRONG, "it", Sub, false), ("reddito", Income, STRONG, "it", Sub, false),
    ("retribuzione", Income, STRONG, "it", Sub, false), ("wynagrodzenie", Income, STRONG, "pl", Sub, false),
    ("pensja", Income, STRONG, "pl", Sub, false), ("dochod", Income, MED, "pl", Sub, false),
    ("password", Credentials, STRONG, "en", Sub, false), ("passwd", Credentials, STRONG, "en", Sub, false),
    ("pwd", Credentials, STRONG, "en", Token, false), ("pass", Credentials, WEAK, "en", Token, false),
    ("secret", Credentials, MED, "en", Token, false), ("apikey", Credentials, STRONG, "en", Sub, false),
    ("token", Credentials, MED, "en", Token, false), ("accesstoken", Credentials, STRONG, "en", Sub, false),
    ("refreshtoken", Credentials, STRONG, "en", Sub, false), ("authtoken", Credentials, STRONG, "en", Sub, false),
    ("sessiontoken", Credentials, STRONG, "en", Sub, false), ("privatekey", Credentials, STRONG, "en", Sub, false),
    ("secretkey", Credentials, STRONG, "en", Sub, false), ("clientsecret", Credentials, STRONG, "en", Sub, false),
    ("securityanswer", Credentials, STRONG, "en", Sub, false), ("pin", Credentials, WEAK, "en", Token, false),
    ("otpsecret", Credentials, STRONG, "en", Sub, false), ("totpsecret", Credentials, STRONG, "en", Sub, false),
    ("passwort", Credentials, STRONG, "de", Sub, false), ("kennwort", Credentials, STRONG, "de", Sub, false),
    ("motdepasse", Credentials, STRONG, "fr", Sub, false), ("mdp", Credentials, MED, "fr", Token, false),
    ("contrasena", Credentials, STRONG, "es", Sub, false), ("clave", Credentials, WEAK, "es", Token, false),
    ("wachtwoord", Credentials, STRONG, "nl", Sub, false), ("parolachiave", Credentials, STRONG, "it", Sub, false),
    ("haslo", Credentials, STRONG, "pl", Sub, false),
    // special categories
    ("diagnosis", Health, STRONG, "en", Sub, false), ("diagnoses", Health, STRONG, "en", Sub, false),
    ("medicalcondition", Health, STRONG, "en", Sub, false), ("medication", Health, STRONG, "en", Sub, false),
    ("medications", Health, STRONG, "en", Sub, false), ("prescription", Health, STRONG, "en", Sub, false),
    ("allergy", Health, STRONG, "en", Sub, false), ("allergies", Health, STRONG, "en", Sub, false),
    ("icd", Health, STRONG, "en", Token, false), ("icd10", Health, STRONG, "en", Sub, false),
    ("bloodtype", Health, STRONG, "en", Sub, false), ("bloodgroup", Health, STRONG, "en", Sub, false),
    ("disability", Health, STRONG, "en", Sub, false), ("illness", Health, STRONG, "en", Sub, false),
    ("disease", Health, STRONG, "en", Sub, false), ("symptoms", Health, STRONG, "en", Sub, false),
    ("medicalhistory", Health, STRONG, "en", Sub, false), ("healthstatus", Health, STRONG, "en", Sub, false),
    ("medical", Health, MED, "en", Token, false), ("pregnancy", Health, STRONG, "en", Sub, false),
    // A patient's history: tobacco, alcohol and drug use, conditions of relatives.
    ("tobacco", Health, MED, "en", Token, true), ("smoking", Health, MED, "en", Token, true),
    ("smokingstatus", Health, STRONG, "en", Sub, false), ("smoker", Health, STRONG, "en", Token, false),
    ("alcohol", Health, MED, "en", Token, true), ("alcoholuse", Health, STRONG, "en", Sub, false),
    ("recreationaldrugs", Health, STRONG, "en", Sub, false), ("druguse", Health, STRONG, "en", Sub, false),
    ("substanceuse", Health, STRONG, "en", Sub, false), ("familyhistory", Health, STRONG, "en", Sub, false),
    ("diabetes", Health, STRONG, "en", Token, false), ("cancer", Health, MED, "en", Token, true),
    ("exercisepatterns", Health, MED, "en", Sub, false), ("reaction", Health, WEAK, "en", Token, true),
    ("chiefcomplaint", Health, STRONG, "en", Sub, false),
    ("diagnose", Health, STRONG, "de", Sub, false), ("befund", Health, STRONG, "de", Sub, false),
    ("krankheit", Health, STRONG, "de", Sub, false), ("medikament", Health, STRONG, "de", Sub, false),
    ("medikation", Health, STRONG, "de", Sub, false), ("allergie", Health, STRONG, "de", Sub, false),
    ("blutgruppe", Health, STRONG, "de", Sub, false), ("behinderung", Health, STRONG, "de", Sub, false),
    ("vorerkrankung", Health, STRONG, "de", Sub, false),
    ("diagnostic", Health, STRONG, "fr", Sub, false), ("maladie", Health, STRONG, "fr", Sub, false),
    ("traitement", Health, MED, "fr", Sub, false), ("groupesanguin", Health, STRONG, "fr", Sub, false),
    ("handicap", Health, MED, "fr", Sub, false),
    ("diagnostico", Health, STRONG, "es", Sub, false), ("enfermedad", Health, STRONG, "es", Sub, false),
    ("medicacion", Health, STRONG, "es", Sub, false), ("alergia", Health, STRONG, "es", Sub, false),
    ("gruposanguineo", Health, STRONG, "es", Sub, false), ("discapacidad", Health, STRONG, "es", Sub, false),
    ("ziekte", Health, STRONG, "nl", Sub, false), ("medicatie", Health, STRONG, "nl", Sub, false),
    ("bloedgroep", Health, STRONG, "nl", Sub, false), ("diagnosi", Health, STRONG, "it", Sub, false),
    ("malattia", Health, STRONG, "it", Sub, false), ("farmaco", Health, STRONG, "it", Sub, false),
    ("grupposanguigno", Health, STRONG, "it", Sub, false), ("diagnoza", Health, STRONG, "pl", Sub, false),
    ("choroba", Health, STRONG, "pl", Sub, false), ("leki", Health, MED, "pl", Token, false),
    ("grupakrwi", Health, STRONG, "pl", Sub, false), ("rozpoznanie", Health, STRONG, "pl", Sub, false),
    ("genotype", Genetic, STRONG, "en", Sub, false), ("genome", Genetic, STRONG, "en", Sub, false),
    ("dna", Genetic, STRONG, "en", Token, false), ("snp", Genetic, STRONG, "en", Token, false),
    ("rsid", Genetic, STRONG, "en", Token, false), ("allele", Genetic, STRONG, "en", Sub, false),
    ("genetic", Genetic, STRONG, "en", Sub, false), ("dnasequence", Genetic, STRONG, "en", Sub, false),
    ("genetik", Genetic, STRONG, "de", Sub, false), ("genetique", Genetic, STRONG, "fr", Sub, false),
    ("adn", Genetic, STRONG, "fr", Token, false), ("genetica", Genetic, STRONG, "it", Sub, false),
    ("fingerprint", Biometric, MED, "en", Sub, false), ("faceembedding", Biometric, STRONG, "en", Sub, false),
    ("faceencoding", Biometric, STRONG, "en", Sub, false), ("facetemplate", Biometric, STRONG, "en", Sub, false),
    ("faceid", Biometric, MED, "en", Sub, false), ("iriscode", Biometric, STRONG, "en", Sub, false),
    ("irisscan", Biometric, STRONG, "en", Sub, false), ("voiceprint", Biometric, STRONG, "en", Sub, false),
    ("biometric", Biometric, STRONG, "en", Sub, false), ("biometrie", Biometric, STRONG, "de", Sub, false),
    ("fingerabdruck", Biometric, STRONG, "de", Sub, false), ("empreinte", Biometric, MED, "fr", Sub, false),
    ("huella", Biometric, MED, "es", Sub, false), ("vingerafdruk", Biometric, STRONG, "nl", Sub, false),
    ("impronta", Biometric, MED, "it", Sub, false), ("odcisk", Biometric, MED, "pl", Sub, false),
    ("ethnicity", EthnicOrigin, STRONG, "en", Sub, false), ("ethnic", EthnicOrigin, STRONG, "en", Sub, false),
    ("race", EthnicOrigin, MED, "en", Token, false), ("ethnie", EthnicOrigin, STRONG, "de", Sub, false),
    ("ethnischeherkunft", EthnicOrigin, STRONG, "de", Sub, false), ("origineethnique", EthnicOrigin, STRONG, "fr", Sub, false),
    ("etnia", EthnicOrigin, STRONG, "es", Sub, false), ("etniciteit", EthnicOrigin, STRONG, "nl", Sub, false),
    ("afkomst", EthnicOrigin, MED, "nl", Sub, false), ("razza", EthnicOrigin, MED, "it", Token, false),
    ("pochodzenie", EthnicOrigin, MED, "pl", Sub, false), ("rasa", EthnicOrigin, MED, "pl", Token, false),
    ("politicalparty", PoliticalOpinion, STRONG, "en", Sub, false), ("political", PoliticalOpinion, STRONG, "en", Sub, false),
    ("votingintention", PoliticalOpinion, STRONG, "en", Sub, false), ("partei", PoliticalOpinion, STRONG, "de", Sub, false),
    ("parteizugehorigkeit", PoliticalOpinion, STRONG, "de", Sub, false), ("partipolitique", PoliticalOpinion, STRONG, "fr", Sub, false),
    ("partidopolitico", PoliticalOpinion, STRONG, "es", Sub, false), ("politiekepartij", PoliticalOpinion, STRONG, "nl", Sub, false),
    ("partitopolitico", PoliticalOpinion, STRONG, "it", Sub, false), ("partiapolityczna", PoliticalOpinion, STRONG, "pl", Sub, false),
    ("religion", Religion, STRONG, "en", Sub, false), ("religious", Religion, STRONG, "en", Sub, false),
    ("faith", Religion, MED, "en", Token, false), ("denomination", Religion, WEAK, "en", Token, false),
    ("konfession", Religion, STRONG, "de", Sub, false), ("religionszugehorigkeit", Religion, STRONG, "de", Sub, false),
    ("glaube", Religion, MED, "de", Token, false), ("religie", Religion, STRONG, "nl", Sub, false),
    ("religione", Religion, STRONG, "it", Sub, false), ("religia", Religion, STRONG, "pl", Sub, false),
    ("wyznanie", Religion, STRONG, "pl", Sub, false), ("confesion", Religion, MED, "es", Sub, false),
    ("tradeunion", TradeUnion, STRONG, "en", Sub, false), ("unionmember", TradeUnion, STRONG, "en", Sub, false),
    ("labourunion", TradeUnion, STRONG, "en", Sub, false), ("laborunion", TradeUnion, STRONG, "en", Sub, false),
    ("union", TradeUnion, WEAK, "en", Token, false),
    ("gewerkschaft", TradeUnion, STRONG, "de", Sub, false), ("syndicat", TradeUnion, STRONG, "fr", Sub, false),
    ("syndique", TradeUnion, STRONG, "fr", Sub, false), ("afiliacionsindical", TradeUnion, STRONG, "es", Sub, false),
    ("sindicato", TradeUnion, STRONG, "es", Sub, false), ("vakbond", TradeUnion, STRONG, "nl", Sub, false),
    ("sindacato", TradeUnion, STRONG, "it", Sub, false), ("zwiazekzawodowy", TradeUnion, STRONG, "pl", Sub, false),
    ("sexualorientation", SexualOrientation, STRONG, "en", Sub, false), ("sexuality", SexualOrientation, STRONG, "en", Sub, false),
    ("sexuelleorientierung", SexualOrientation, STRONG, "de", Sub, false), ("orientationsexuelle", SexualOrientation, STRONG, "fr", Sub, false),
    ("orientacionsexual", SexualOrientation, STRONG, "es", Sub, false), ("seksuelegeaardheid", SexualOrientation, STRONG, "nl", Sub, false),
    ("geaardheid", SexualOrientation, STRONG, "nl", Sub, false), ("orientamentosessuale", SexualOrientation, STRONG, "it", Sub, false),
    ("orientacjaseksualna", SexualOrientation, STRONG, "pl", Sub, false),
    ("criminalrecord", CriminalRecord, STRONG, "en", Sub, false), ("conviction", CriminalRecord, STRONG, "en", Sub, false),
    ("offence", CriminalRecord, STRONG, "en", Sub, false), ("offense", CriminalRecord, STRONG, "en", Sub, false),
    ("criminalhistory", CriminalRecord, STRONG, "en", Sub, false), ("arrests", CriminalRecord, MED, "en", Token, false),
    ("felony", CriminalRecord, STRONG, "en", Sub, false), ("vorstrafe", CriminalRecord, STRONG, "de", Sub, false),
    ("fuhrungszeugnis", CriminalRecord, STRONG, "de", Sub, false), ("strafregister", CriminalRecord, STRONG, "de", Sub, false),
    ("casierjudiciaire", CriminalRecord, STRONG, "fr", Sub, false), ("condamnation", CriminalRecord, STRONG, "fr", Sub, false),
    ("antecedentespenales", CriminalRecord, STRONG, "es", Sub, false), ("strafblad", CriminalRecord, STRONG, "nl", Sub, false),
    ("veroordeling", CriminalRecord, STRONG, "nl", Sub, false), ("casellariogiudiziale", CriminalRecord, STRONG, "it", Sub, false),
    ("precedentipenali", CriminalRecord, STRONG, "it", Sub, false), ("karalnosc", CriminalRecord, STRONG, "pl", Sub, false),
    ("rejestrkarny", CriminalRecord, STRONG, "pl", Sub, false),
    ("chronicconditions", Health, STRONG, "en", Sub, false), ("diag", Health, STRONG, "en", Token, false),
    ("erkrankung", Health, STRONG, "de", Sub, false), ("pathologie", Health, STRONG, "fr", Sub, false),
    ("aandoening", Health, STRONG, "nl", Sub, false), ("patologia", Health, STRONG, "it", Sub, false),
    ("cim10", Health, STRONG, "fr", Sub, false), ("cie10", Health, STRONG, "es", Sub, false),
    ("meds", Health, STRONG, "en", Token, false), ("rx", Health, MED, "en", Token, false),
    ("medicaments", Health, STRONG, "fr", Sub, false), ("medicamentos", Health, STRONG, "es", Sub, false),
    ("medicijnen", Health, STRONG, "nl", Sub, false), ("farmaci", Health, STRONG, "it", Sub, false),
    ("lekarstwa", Health, STRONG, "pl", Sub, false), ("clinicalnotes", Health, STRONG, "en", Sub, false),
    ("doctornotes", Health, STRONG, "en", Sub, false), ("consultationnotes", Health, STRONG, "en", Sub, false),
    ("clinnt", Health, MED, "en", Sub, false), ("mednt", Health, MED, "en", Sub, false),
    ("hx", Health, MED, "en", Token, false), ("arztbrief", Health, STRONG, "de", Sub, false),
    ("anamnese", Health, STRONG, "de", Sub, false), ("notasclinicas", Health, STRONG, "es", Sub, false),
    ("historiaclinica", Health, STRONG, "es", Sub, false), ("medischenotities", Health, STRONG, "nl", Sub, false),
    ("notecliniche", Health, STRONG, "it", Sub, false), ("anamnesi", Health, STRONG, "it", Sub, false),
    ("notatkilekarskie", Health, STRONG, "pl", Sub, false), ("allrg", Health, STRONG, "en", Token, false),
    ("alergie", Health, STRONG, "pl", Sub, false), ("beperking", Health, MED, "nl", Token, false),
    ("disabilita", Health, STRONG, "it", Sub, false), ("niepelnosprawnosc", Health, STRONG, "pl", Sub, false),
    ("sickleave", Health, STRONG, "en", Sub, false), ("sickrsn", Health, STRONG, "en", Sub, false),
    ("krankmeldung", Health, STRONG, "de", Sub, false), ("bajamedica", Health, STRONG, "es", Sub, false),
    ("ziekmelding", Health, STRONG, "nl", Sub, false), ("zwolnienialekarskiego", Health, STRONG, "pl", Sub, false),
    ("sequenceread", Genetic, STRONG, "en", Sub, false), ("erbgut", Genetic, STRONG, "de", Sub, false),
    ("snps", Genetic, STRONG, "en", Token, false), ("genotyp", Genetic, STRONG, "de", Sub, false),
    ("genotipo", Genetic, STRONG, "es", Sub, false), ("gentest", Genetic, STRONG, "de", Sub, false),
    ("genetischetest", Genetic, STRONG, "nl", Sub, false), ("badaniagenetycznego", Genetic, STRONG, "pl", Sub, false),
    ("facevector", Biometric, STRONG, "en", Sub, false), ("faceemb", Biometric, STRONG, "en", Sub, false),
    ("fvec", Biometric, MED, "en", Token, false), ("gesichtsmerkmale", Biometric, STRONG, "de", Sub, false),
    ("plantillafacial", Biometric, STRONG, "es", Sub, false), ("gezichtskenmerken", Biometric, STRONG, "nl", Sub, false),
    ("wzorzectwarzy", Biometric, STRONG, "pl", Sub, false), ("voiceembedding", Biometric, STRONG, "en", Sub, false),
    ("vprint", Biometric, STRONG, "en", Token, false), ("voiceemb", Biometric, STRONG, "en", Sub, false),
    ("stimmabdruck", Biometric, STRONG, "de", Sub, false), ("stemafdruk", Biometric, STRONG, "nl", Sub, false),
    ("faceenc", Biometric, STRONG, "en", Sub, false), ("fenc", Biometric, MED, "en", Token, false),
    ("gesichtsvorlage", Biometric, STRONG, "de", Sub, false), ("gabaritvisage", Biometric, STRONG, "fr", Sub, false),
    ("codificacionfacial", Biometric, STRONG, "es", Sub, false), ("gezichtsmodel", Biometric, STRONG, "nl", Sub, false),
    ("codificavolto", Biometric, STRONG, "it", Sub, false), ("kodowanietwarzy", Biometric, STRONG, "pl", Sub, false),
    ("iristemplate", Biometric, STRONG, "en", Sub, false), ("iris", Biometric, MED, "en", Token, false),
    ("codeiris", Biometric, STRONG, "fr", Sub, false), ("codigoiris", Biometric, STRONG, "es", Sub, false),
    ("codiceiride", Biometric, STRONG, "it", Sub, false), ("teczowki", Biometric, STRONG, "pl", Sub, false),
    ("herkunft", EthnicOrigin, MED, "de", Token, false), ("origenetnico", EthnicOrigin, STRONG, "es", Sub, false),
    ("origineetnica", EthnicOrigin, STRONG, "it", Sub, false), ("partymembership", PoliticalOpinion, STRONG, "en", Sub, false),
    ("polparty", PoliticalOpinion, STRONG, "en", Sub, false), ("pty", PoliticalOpinion, WEAK, "en", Token, false),
    ("afiliacionpolitica", PoliticalOpinion, STRONG, "es", Sub, false), ("partij", PoliticalOpinion, MED, "nl", Token, false),
    ("partito", PoliticalOpinion, MED, "it", Token, false), ("partia", PoliticalOpinion, MED, "pl", Token, false),
    ("przynaleznoscpartyjna", PoliticalOpinion, STRONG, "pl", Sub, false), ("politischeeinstellung", PoliticalOpinion, STRONG, "de", Sub, false),
    ("orientationpolitique", PoliticalOpinion, STRONG, "fr", Sub, false), ("ideologia", PoliticalOpinion, STRONG, "es", Sub, false),
    ("opinionpolitica", PoliticalOpinion, STRONG, "es", Sub, false), ("orientamentopolitico", PoliticalOpinion, STRONG, "it", Sub, false),
    ("pogladypolityczne", PoliticalOpinion, STRONG, "pl", Sub, false), ("rel", Religion, WEAK, "en", Token, false),
    ("confession", Religion, MED, "en", Token, false), ("creencia", Religion, MED, "es", Token, false),
    ("geloof", Religion, MED, "nl", Token, false), ("kerkgenootschap", Religion, STRONG, "nl", Sub, false),
    ("fede", Religion, WEAK, "it", Token, false), ("tu", TradeUnion, WEAK, "en", Token, false),
    ("unmbr", TradeUnion, MED, "en", Sub, false), ("tumbr", TradeUnion, MED, "en", Sub, false),
    ("adhesionsyndicale", TradeUnion, STRONG, "fr", Sub, false), ("iscrizionesindacale", TradeUnion, STRONG, "it", Sub, false),
    ("zwiazek", TradeUnion, MED, "pl", Token, false), ("czlonekzwiazku", TradeUnion, STRONG, "pl", Sub, false),
    ("orientation", SexualOrientation, WEAK, "en", Token, false), ("orient", SexualOrientation, WEAK, "en", Token, false),
    ("crimrec", CriminalRecord, STRONG, "en", Sub, false), ("conv", CriminalRecord, WEAK, "en", Token, false),
    ("fuehrungszeugnis", CriminalRecord, STRONG, "de", Sub, false), ("justitieledocumentatie", CriminalRecord, STRONG, "nl", Sub, false),
    ("offn", CriminalRecord, MED, "en", Token, false), ("straftat", CriminalRecord, STRONG, "de", Sub, false),
    ("delikt", CriminalRecord, STRONG, "de", Sub, false), ("delit", CriminalRecord, MED, "fr", Token, false),
    ("delito", CriminalRecord, STRONG, "es", Sub, false), ("infraccion", CriminalRecord, MED, "es", Token, false),
    ("delict", CriminalRecord, STRONG, "nl", Sub, false), ("strafbaarfeit", CriminalRecord, STRONG, "nl", Sub, false),
    ("reato", CriminalRecord, STRONG, "it", Sub, false), ("przestepstwo", CriminalRecord, STRONG, "pl", Sub, false),
    ("wykroczenie", CriminalRecord, STRONG, "pl", Sub, false),
    // Swedish, Norwegian, Danish, Finnish and Portuguese; names of in-house systems.
    ("fornamn", Name, STRONG, "sv", Sub, false), ("efternamn", Name, STRONG, "sv", Sub, false),
    ("fnamn", Name, MED, "sv", Token, false), ("enamn", Name, MED, "sv", Token, false),
    ("fornavn", Name, STRONG, "no", Sub, false), ("etternavn", Name, STRONG, "no", Sub, false),
    ("efternavn", Name, STRONG, "da", Sub, false), ("mellemnavn", Name, STRONG, "da", Sub, false),
    ("etunimi", Name, STRONG, "fi", Sub, false), ("sukunimi", Name, STRONG, "fi", Sub, false),
    ("apelido", Name, STRONG, "pt", Sub, false), ("sobrenome", Name, STRONG, "pt", Sub, false),
    ("nomecompleto", Name, STRONG, "pt", Sub, false), ("legalname", Name, STRONG, "en", Sub, false),
    ("mothersname", Name, STRONG, "en", Sub, false), ("emergencycontact", Name, MED, "en", Sub, false),
    ("voorletters", Name, MED, "nl", Sub, false), ("initialen", Name, MED, "de", Sub, false),
    ("commentauthor", Name, STRONG, "en", Sub, false), ("assistant", Name, WEAK, "en", Token, true),
    ("fastlege", Name, MED, "no", Sub, false), ("laakari", Name, MED, "fi", Token, false),
    ("hausarzt", Name, MED, "de", Sub, false), ("behandelnderarzt", Name, MED, "de", Sub, false),
    ("beharzt", Name, MED, "de", Sub, false), ("medecintraitant", Name, MED, "fr", Sub, false),
    ("huisarts", Name, MED, "nl", Sub, false), ("medicodefamilia", Name, MED, "pt", Sub, false),
    ("epost", Email, STRONG, "sv", Sub, false), ("sahkoposti", Email, STRONG, "fi", Sub, false),
    ("tfn", Phone, MED, "sv", Token, false), ("tlf", Phone, MED, "da", Token, false),
    ("mobilnummer", Phone, STRONG, "sv", Sub, false), ("puhelin", Phone, STRONG, "fi", Sub, false),
    ("matkapuhelin", Phone, STRONG, "fi", Sub, false), ("telefone", Phone, STRONG, "pt", Sub, false),
    ("telemovel", Phone, STRONG, "pt", Sub, false), ("celular", Phone, STRONG, "pt", Sub, false),
    ("ph", Phone, WEAK, "en", Token, true),
    ("gatuadress", StreetAddress, STRONG, "sv", Sub, false), ("gatuadr", StreetAddress, STRONG, "sv", Sub, false),
    ("katuosoite", StreetAddress, STRONG, "fi", Sub, false), ("osoite", StreetAddress, MED, "fi", Token, true),
    ("morada", StreetAddress, STRONG, "pt", Sub, false), ("logradouro", StreetAddress, STRONG, "pt", Sub, false),
    ("postnr", PostalCode, STRONG, "sv", Sub, false), ("postnummer", PostalCode, STRONG, "sv", Sub, false),
    ("postinumero", PostalCode, STRONG, "fi", Sub, false), ("codpostal", PostalCode, STRONG, "pt", Sub, false),
    ("codigopostal", PostalCode, STRONG, "pt", Sub, false), ("cep", PostalCode, MED, "pt", Token, false),
    ("postitoimipaikka", City, STRONG, "fi", Sub, false), ("kaupunki", City, MED, "fi", Token, false),
    ("bynavn", City, STRONG, "da", Sub, false), ("poststed", City, STRONG, "no", Sub, false),
    ("postort", City, STRONG, "sv", Sub, false), ("localidade", City, STRONG, "pt", Sub, false),
    ("kommune", City, MED, "no", Token, true), ("cidade", City, STRONG, "pt", Sub, false),
    ("personnummer", NationalId, STRONG, "sv", Sub, false), ("persnr", NationalId, STRONG, "sv", Sub, false),
    ("fodselsnummer", NationalId, STRONG, "no", Sub, false), ("fnr", NationalId, MED, "no", Token, false),
    ("cpr", NationalId, STRONG, "da", Token, false), ("cprnr", NationalId, STRONG, "da", Sub, false),
    ("hetu", NationalId, STRONG, "fi", Token, false), ("henkilotunnus", NationalId, STRONG, "fi", Sub, false),
    ("cpf", NationalId, STRONG, "pt", Token, false), ("numsecu", NationalId, STRONG, "fr", Sub, false),
    ("numerosecu", NationalId, STRONG, "fr", Sub, false), ("rijksregisternummer", NationalId, STRONG, "nl", Sub, false),
    ("fodselsdato", DateOfBirth, STRONG, "no", Sub, false), ("fodelsedatum", DateOfBirth, STRONG, "sv", Sub, false),
    ("syntymaaika", DateOfBirth, STRONG, "fi", Sub, false), ("datanascimento", DateOfBirth, STRONG, "pt", Sub, false),
    ("dtnasc", DateOfBirth, STRONG, "pt", Sub, false), ("datenaiss", DateOfBirth, STRONG, "fr", Sub, false),
    ("sukupuoli", Gender, STRONG, "fi", Sub, false), ("kjonn", Gender, STRONG, "no", Sub, false),
    ("siviilisaaty", MaritalStatus, STRONG, "fi", Sub, false), ("civilstand", MaritalStatus, STRONG, "sv", Sub, false),
    ("sivilstand", MaritalStatus, STRONG, "no", Sub, false), ("estadocivil", MaritalStatus, STRONG, "pt", Sub, false),
    ("situationfamille", MaritalStatus, STRONG, "fr", Sub, false), ("situationfamiliale", MaritalStatus, STRONG, "fr", Sub, false),
    ("ammatti", Job, STRONG, "fi", Sub, false), ("yrke", Job, STRONG, "sv", Token, false),
    ("stilling", Job, MED, "no", Token, false), ("profissao", Job, STRONG, "pt", Sub, false),
    ("cargo", Job, WEAK, "pt", Token, true), ("funcao", Job, WEAK, "pt", Token, true),
    ("palkka", Income, STRONG, "fi", Sub, false), ("manadslon", Income, STRONG, "sv", Sub, false),
    ("salario", Income, STRONG, "pt", Sub, false), ("bruttomonat", Income, STRONG, "de", Sub, false),
    ("brutto", Income, MED, "de", Token, false),
    ("diagnoosi", Health, STRONG, "fi", Sub, false), ("laakitys", Health, STRONG, "fi", Sub, false),
    ("diagnos", Health, STRONG, "sv", Token, false), ("journalnotat", Health, STRONG, "no", Sub, false),
    ("sykemelding", Health, STRONG, "no", Sub, false), ("sjukskrivning", Health, STRONG, "sv", Sub, false),
    ("gdb", Health, MED, "de", Token, false), ("gradderbehinderung", Health, STRONG, "de", Sub, false),
    ("vitalwerte", Health, STRONG, "de", Sub, false), ("befund", Health, STRONG, "de", Sub, false),
    ("anamnese", Health, STRONG, "de", Sub, false), ("antecedents", Health, MED, "fr", Token, false),
    ("antecedentsmedicaux", Health, STRONG, "fr", Sub, false), ("verzuimreden", Health, STRONG, "nl", Sub, false),
    ("ziekteverzuim", Health, STRONG, "nl", Sub, false), ("doenca", Health, STRONG, "pt", Sub, false),
    ("ethnoracial", EthnicOrigin, STRONG, "en", Sub, false), ("uskonto", Religion, STRONG, "fi", Sub, false),
    ("religiao", Religion, STRONG, "pt", Sub, false), ("ammattiliitto", TradeUnion, STRONG, "fi", Sub, false),
    ("fagforening", TradeUnion, STRONG, "no", Sub, false), ("fackforbund", TradeUnion, STRONG, "sv", Sub, false),
    ("sindicato", TradeUnion, STRONG, "pt", Sub, false),
    ("ifa", DeviceId, MED, "en", Token, false), ("aaid", DeviceId, STRONG, "en", Token, false),
    ("idvisitor", DeviceId, MED, "en", Sub, false), ("visitorid", DeviceId, MED, "en", Sub, false),
    ("pushtoken", DeviceId, STRONG, "en", Sub, false), ("fcmtoken", DeviceId, STRONG, "en", Sub, false),
    ("apnstoken", DeviceId, STRONG, "en", Sub, false), ("devicetoken", DeviceId, STRONG, "en", Sub, false),
    ("serialnumber", DeviceId, MED, "en", Sub, true), ("xforwardedfor", IpAddress, STRONG, "en", Sub, false),
    ("nicename", Username, MED, "en", Sub, false), ("activationkey", Credentials, STRONG, "en", Sub, false),
    ("deviceuuid", DeviceId, STRONG, "en", Sub, false), ("deviceguid", DeviceId, STRONG, "en", Sub, false),
    ("identificationid", NationalId, MED, "en", Sub, false), ("ssnid", NationalId, STRONG, "en", Sub, false),
    ("poster", Name, WEAK, "en", Token, true),
];

/// Tokens that make a person out of an ambiguous cue (`customer_name`, `patient_address`).
const PERSON_WORDS: &[&str] = &[
    "first",
    "last",
    "full",
    "middle",
    "given",
    "family",
    "maiden",
    "customer",
    "client",
    "user",
    "patient",
    "employee",
    "staff",
    "contact",
    "person",
    "member",
    "owner",
    "holder",
    "cardholder",
    "driver",
    "passenger",
    "guest",
    "student",
    "author",
    "recipient",
    "sender",
    "billing",
    "shipping",
    "emergency",
    "parent",
    "mother",
    "father",
    "spouse",
    "applicant",
    "candidate",
    "buyer",
    "home",
    "private",
    "personal",
    "kunde",
    "kunden",
    "mitarbeiter",
    "patienten",
    "privat",
    "klant",
    "cliente",
    "paziente",
    "pacjent",
    "klienta",
    "persona",
    "personne",
    "utilisateur",
    "benutzer",
    "gebruiker",
    "utente",
    "uzytkownik",
    "contacto",
    "kontakt",
    "empleado",
    "employe",
    "werknemer",
    "dipendente",
    "pracownik",
    "ehepartner",
];

/// Tokens that make a thing out of an ambiguous cue (`product_name`, `company_address`).
/// Words naming a database object: `field_name` is no person's name, but `field1` is a
/// column like any other, so these drop a cue next to them without making the values things.
const META_WORDS: &[&str] = &["table", "column", "schema", "field"];

const THING_WORDS: &[&str] = &[
    "product",
    "products",
    "company",
    "companies",
    "file",
    "filename",
    "brand",
    "store",
    "shop",
    "vendor",
    "supplier",
    "host",
    "hostname",
    "server",
    "event",
    "category",
    "item",
    "article",
    "artikel",
    "produkt",
    "firma",
    "firmen",
    "unternehmen",
    "entreprise",
    "societe",
    "empresa",
    "bedrijf",
    "azienda",
    "societa",
    "project",
    "team",
    "group",
    "org",
    "organization",
    "organisation",
    "department",
    "app",
    "application",
    "service",
    "domain",
    "bucket",
    "queue",
    "topic",
    "task",
    "model",
    "path",
    "campaign",
    "plan",
    "tag",
    "label",
    "feature",
    "metric",
    "warehouse",
    "site",
    "branch",
    "business",
    "merchant",
    "legal",
    "wallet",
    "contract",
    "memory",
    "network",
    "display",
    "sheet",
    "report",
    "dashboard",
    "index",
    "pipeline",
    "workflow",
    "step",
    "nazwa",
    "produktu",
    "produit",
    "producto",
    "prodotto",
    "bezeichnung",
    "libelle",
    "return",
    "pickup",
    "venue",
    "office",
    "depot",
    "hub",
    "job",
    "batch",
];

/// Tokens of identifiers that are not personal: digit strings under these names may pass a
/// checksum by chance and are never card numbers or national ids.
const DECOY_ID_WORDS: &[&str] = &[
    "order",
    "orders",
    "invoice",
    "sku",
    "tracking",
    "shipment",
    "parcel",
    "transaction",
    "txn",
    "ean",
    "gtin",
    "upc",
    "isbn",
    "barcode",
    "batch",
    "lot",
    "ticket",
    "reference",
    "ref",
    "booking",
    "confirmation",
    "bestellung",
    "bestellnummer",
    "rechnung",
    "sendung",
    "commande",
    "facture",
    "pedido",
    "factura",
    "bestelling",
    "factuur",
    "ordine",
    "fattura",
    "zamowienie",
    "faktura",
    "product",
    "article",
    "artikel",
    "item",
    "part",
    "model",
    "serial",
    "version",
    "build",
    "release",
    "receipt",
    "voucher",
    "coupon",
    "promo",
    "sequence",
    "seq",
    "row",
];

/// Trailing tokens that make a cued column about the thing rather than the thing itself
/// (`email_verified`, `phone_type`, `address_id`).
const DEMOTING_SUFFIXES: &[&str] = &[
    // `phone_ext`: an extension, three digits of a switchboard
    "ext",
    "extension",
    "band",
    "bands",
    "range",
    "id",
    "ids",
    "key",
    "fk",
    "pk",
    "uuid",
    "count",
    "cnt",
    "flag",
    "type",
    "kind",
    "status",
    "verified",
    "confirmed",
    "valid",
    "validated",
    "enabled",
    "disabled",
    "consent",
    "optin",
    "opt",
    "at",
    "on",
    "sent",
    "length",
    "len",
    "format",
    "template",
    "changed",
    "updated",
    "created",
    "policy",
    "required",
    "visible",
    "public",
    "domain",
    "provider",
    "source",
    "country",
    "language",
    "lang",
    "locale",
    "bounced",
    "bounce",
    "marketing",
    "prefs",
    "preference",
    "preferences",
    "is",
    "has",
];

/// Leading tokens that make a flag or a count out of a cued column (`is_email_verified`,
/// `has_passport`, `num_phones`).
const DEMOTING_PREFIXES: &[&str] = &[
    "is", "has", "num", "count", "n", "total", "max", "min", "avg",
];

/// Names of free-text columns, which are classified by what their values mention.
const FREE_TEXT_WORDS: &[&str] = &[
    "notes",
    "note",
    "comment",
    "comments",
    "remarks",
    "remark",
    "description",
    "details",
    "memo",
    "text",
    "body",
    "message",
    "summary",
    "observations",
    "narrative",
    "anamnesis",
    "notiz",
    "notizen",
    "bemerkung",
    "bemerkungen",
    "anmerkung",
    "kommentar",
    "beschreibung",
    "remarque",
    "remarques",
    "commentaire",
    "commentaires",
    "observaciones",
    "notas",
    "comentario",
    "comentarios",
    "opmerking",
    "opmerkingen",
    "notitie",
    "notities",
    "commento",
    "commenti",
    "osservazioni",
    "uwagi",
    "notatki",
    "komentarz",
    "opis",
    "anamnese",
];

/// Names under which values that happen to read as nationalities, colours or places are
/// something else (`language = German`, `color = white`).
const VOCAB_VETO_WORDS: &[&str] = &[
    "language",
    "lang",
    "locale",
    "sprache",
    "langue",
    "idioma",
    "taal",
    "lingua",
    "jezyk",
    "currency",
    "country",
    "cuisine",
    "color",
    "colour",
    "farbe",
    "couleur",
    "size",
    "style",
    "category",
    "type",
    "genre",
    "brand",
    "origin",
    "shipping",
    "destination",
    "warehouse",
    "region",
    "market",
    "store",
    "shop",
    "branch",
    "office",
    "venue",
    "airport",
    "station",
];

/// What a column name says.
#[derive(Debug, Default, Clone)]
pub struct NameCues {
    /// Matched cues, best per category, strongest first: (category, confidence, evidence).
    pub cues: Vec<(Category, f32, String)>,
    /// A token names the row's person (`customer`, `patient`).
    pub person: bool,
    /// A token names a thing (`product`, `company`).
    pub thing: bool,
    /// A token names a non-personal identifier (`order`, `tracking`, `sku`).
    pub decoy_id: bool,
    /// The column holds free text (`notes`, `Bemerkung`).
    pub free_text: bool,
    /// Values reading as vocabulary terms mean something else here (`language`, `color`).
    pub vocab_veto: bool,
}

/// Splits a column or table name into folded tokens: snake_case, kebab-case, camelCase,
/// digits.
pub fn tokenize(name: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&p) = cur.chars().last().as_ref() {
            let lower_to_upper = p.is_lowercase() && c.is_uppercase();
            // `HTTPServer` → `HTTP`, `Server`.
            let acronym_end = p.is_uppercase()
                && c.is_uppercase()
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let digit_edge = p.is_ascii_digit() != c.is_ascii_digit();
            if lower_to_upper || acronym_end || digit_edge {
                tokens.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
        .iter()
        .map(|t| fold(t))
        .filter(|t| !t.is_empty())
        .collect()
}

struct Hit<'a> {
    def: &'static CueDef,
    span: (usize, usize),
    /// For a cue found inside a token: what the token holds before it.
    glued_prefix: Option<&'a str>,
}

/// Reads a column name.
pub fn name_cues(column: &str) -> NameCues {
    let tokens = tokenize(column);
    let mut out = NameCues::default();
    if tokens.is_empty() {
        return out;
    }
    // The name written together, and where each token starts in it.
    let mut compact = String::new();
    let mut starts = Vec::with_capacity(tokens.len());
    for t in &tokens {
        starts.push(compact.len());
        compact.push_str(t);
    }
    let token_at = |pos: usize| starts.iter().rposition(|&s| s <= pos).unwrap_or(0);

    let mut hits: Vec<Hit> = Vec::new();
    for def in CUES {
        let (term, mode) = (def.0, def.4);
        // A run of adjacent tokens spelling the cue.
        let mut found = None;
        'outer: for i in 0..tokens.len() {
            let mut run = String::new();
            for (j, t) in tokens.iter().enumerate().skip(i) {
                run.push_str(t);
                if run.len() > term.len() {
                    break;
                }
                if run == term {
                    found = Some((i, j));
                    break 'outer;
                }
            }
        }
        let mut glued_prefix = None;
        if found.is_none()
            && mode == Sub
            && let Some(pos) = compact.find(term)
        {
            let first = token_at(pos);
            glued_prefix = compact.get(starts[first]..pos).filter(|p| !p.is_empty());
            found = Some((first, token_at(pos + term.len() - 1)));
        }
        if let Some(span) = found {
            hits.push(Hit {
                def,
                span,
                glued_prefix,
            });
        }
    }
    // A longer cue wins over shorter ones inside it (`ip_address` is not a street address,
    // `user_name` is a username).
    let keep: Vec<bool> = hits
        .iter()
        .map(|h| {
            !hits.iter().any(|o| {
                o.def.0.len() > h.def.0.len()
                    && o.span.0 <= h.span.0
                    && o.span.1 >= h.span.1
                    && o.def.1 != h.def.1
            })
        })
        .collect();

    let outside = |span: (usize, usize)| {
        tokens
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i < span.0 || *i > span.1)
            .map(|(_, t)| t.as_str())
    };
    let has = |list: &[&str]| tokens.iter().any(|t| list.contains(&t.as_str()));
    out.person = has(PERSON_WORDS);
    out.thing = has(THING_WORDS);
    out.decoy_id = has(DECOY_ID_WORDS);
    out.free_text = has(FREE_TEXT_WORDS);
    out.vocab_veto = has(VOCAB_VETO_WORDS);

    for (h, k) in hits.iter().zip(keep) {
        if !k {
            continue;
        }
        let (term, cat, mut conf, lang, _, ambiguous) = *h.def;
        // `email_verified`, `address_id`, `is_phone_valid`: about the value, not the value.
        let after: Vec<&str> = tokens[h.span.1 + 1..].iter().map(String::as_str).collect();
        let before: Vec<&str> = tokens[..h.span.0].iter().map(String::as_str).collect();
        // Special categories stay: `has_diabetes`, `religion_id` and `is_union_member` still
        // tell the special fact about the person.
        // `passport_id` is the passport's number, not a key.
        let own_id = |t: &&str| cat == PassportNumber && matches!(*t, "id" | "no" | "nr");
        if !cat.is_special()
            && (after
                .iter()
                .any(|t| DEMOTING_SUFFIXES.contains(t) && !own_id(t))
                || before
                    .first()
                    .is_some_and(|t| DEMOTING_PREFIXES.contains(t)))
        {
            continue;
        }
        // `user`, `url`, `web` say what the column holds only as its last word (`user_type`,
        // `url_slug` hold something else).
        if matches!(term, "user" | "url" | "web") && !after.is_empty() {
            continue;
        }
        // `comment_author_email`, `author_url`: something of the person's, not the name.
        if cat == Name && after.iter().any(|t| ATTRIBUTE_WORDS.contains(t)) {
            continue;
        }
        let person_here = outside(h.span).any(|t| PERSON_WORDS.contains(&t));
        // `companyemail`, `storephone`: a thing written together with the cue.
        let glued = h.glued_prefix.is_some_and(|p| THING_WORDS.contains(&p));
        let thing_here =
            glued || outside(h.span).any(|t| THING_WORDS.contains(&t) || META_WORDS.contains(&t));
        if thing_here && !person_here {
            // `product_name`, `company_address`, `store_city`, `job_name`: not a person's.
            if ambiguous
                || matches!(
                    cat,
                    Name | StreetAddress | City | Phone | Email | PostalCode
                )
            {
                continue;
            }
        }
        if ambiguous && person_here {
            conf = conf.max(0.72);
        }
        let evidence = format!("name:{term} ({lang})");
        match out.cues.iter_mut().find(|c| c.0 == cat) {
            // The more specific (longer) cue names the evidence when both are as strong.
            Some(c) if c.1 > conf || (c.1 == conf && c.2.len() >= evidence.len()) => {}
            Some(c) => *c = (cat, conf, evidence),
            None => out.cues.push((cat, conf, evidence)),
        }
    }
    // The hash of an email or phone number (`email_sha256`, `hashed_phone`) is no longer an
    // address but still one person's pseudonymous identifier, as ad networks use it.
    if has(HASH_WORDS)
        && let Some(i) = out.cues.iter().position(|c| matches!(c.0, Email | Phone))
    {
        let (_, conf, evidence) = out.cues.remove(i);
        out.cues.retain(|c| c.0 != DeviceId);
        out.cues
            .push((DeviceId, conf, format!("{evidence} hashed")));
    }
    out.cues.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

/// Tokens after a person's word that name one of their attributes rather than the name.
const ATTRIBUTE_WORDS: &[&str] = &[
    "email",
    "mail",
    "url",
    "web",
    "website",
    "ip",
    "agent",
    "useragent",
    "phone",
    "tel",
    "address",
    "id",
    "uuid",
    "login",
    "username",
    "avatar",
    "photo",
    "image",
];

/// Tokens that make a digest of what the rest of the name says.
const HASH_WORDS: &[&str] = &["sha256", "sha1", "sha", "md5", "hash", "hashed", "digest"];

/// Whether a cue of this category was ambiguous (needs context): true for `name`-like and
/// `address`-like cues written alone.
pub fn is_ambiguous(evidence: &str) -> bool {
    CUES.iter()
        .any(|d| d.5 && evidence.starts_with(&format!("name:{} (", d.0)))
}

/// What a table name says about its rows.
#[derive(Debug, Default, Clone, Copy)]
pub struct TableContext {
    /// Rows are people (`customers`, `Mitarbeiter`, `pacjenci`).
    pub person: bool,
    /// Rows are things (`products`, `orders`, `companies`).
    pub thing: bool,
    /// Rows are medical (`patients`, `diagnoses`, `Patienten`).
    pub health: bool,
    /// Rows are organisations or places (`companies`, `stores`, `warehouses`, or a table whose
    /// columns give an industry, a revenue or a contact person): their addresses, phones,
    /// mailboxes and coordinates are nobody's.
    pub organisation: bool,
    /// Rows are a product catalogue (`products`, `Artikel`, `produits`), where numbers that
    /// carry GS1 check digits are barcodes; orders and invoices are not, they may hold cards.
    pub catalogue: bool,
}

const CATALOGUE_TABLES: &[&str] = &[
    "product",
    "products",
    "sku",
    "skus",
    "catalog",
    "catalogue",
    "article",
    "articles",
    "artikel",
    "produkt",
    "produkte",
    "produit",
    "produits",
    "producto",
    "productos",
    "producten",
    "prodotto",
    "prodotti",
    "produkty",
];

const PERSON_TABLES: &[&str] = &[
    "customer",
    "customers",
    "user",
    "users",
    "employee",
    "employees",
    "person",
    "persons",
    "people",
    "contact",
    "contacts",
    "member",
    "members",
    "client",
    "clients",
    "patient",
    "patients",
    "staff",
    "student",
    "students",
    "guest",
    "guests",
    "applicant",
    "applicants",
    "account",
    "accounts",
    "profile",
    "profiles",
    "subscriber",
    "subscribers",
    "driver",
    "drivers",
    "passenger",
    "passengers",
    "lead",
    "leads",
    "candidate",
    "candidates",
    "kunde",
    "kunden",
    "benutzer",
    "mitarbeiter",
    "personen",
    "patienten",
    "mitglieder",
    "clientes",
    "utilisateurs",
    "salaries",
    "employes",
    "personnes",
    "usuarios",
    "empleados",
    "pacientes",
    "klanten",
    "gebruikers",
    "medewerkers",
    "patienten",
    "leden",
    "clienti",
    "utenti",
    "dipendenti",
    "pazienti",
    "klienci",
    "uzytkownicy",
    "pracownicy",
    "pacjenci",
    "osoby",
    "hr",
    "personnel",
    "payroll",
];

const THING_TABLES: &[&str] = &[
    // job openings and test fixtures are about no one
    "job",
    "jobs",
    "vacancy",
    "vacancies",
    "vacatures",
    "openings",
    "postings",
    "requisitions",
    "stellenangebote",
    "stellen",
    "offres",
    "fixture",
    "fixtures",
    "testdata",
    "product",
    "products",
    "item",
    "items",
    "order",
    "orders",
    "sku",
    "skus",
    "inventory",
    "category",
    "categories",
    "company",
    "companies",
    "store",
    "stores",
    "warehouse",
    "warehouses",
    "supplier",
    "suppliers",
    "vendor",
    "vendors",
    "brand",
    "brands",
    "catalog",
    "catalogue",
    "event",
    "events",
    "log",
    "logs",
    "shipment",
    "shipments",
    "invoice",
    "invoices",
    "artikel",
    "produkte",
    "bestellungen",
    "produits",
    "commandes",
    "productos",
    "pedidos",
    "producten",
    "bestellingen",
    "prodotti",
    "ordini",
    "produkty",
    "zamowienia",
    "projects",
    "tasks",
    "files",
    "tags",
    "organizations",
    "organisations",
    "teams",
];

const HEALTH_TABLES: &[&str] = &[
    "patient",
    "patients",
    "patienten",
    "pacientes",
    "patients",
    "pazienti",
    "paziente",
    "pacjenci",
    "pacjent",
    "medical",
    "clinic",
    "clinical",
    "hospital",
    "krankenhaus",
    "klinik",
    "hopital",
    "health",
    "gesundheit",
    "sante",
    "salud",
    "gezondheid",
    "salute",
    "zdrowie",
    "ehr",
    "emr",
    "encounter",
    "encounters",
    "consultation",
    "consultations",
    "diagnosis",
    "diagnoses",
    "diagnosen",
    "admissions",
    "prescriptions",
    "treatments",
    "behandlungen",
    "befunde",
    "anamnese",
    "triage",
    "visits",
];

pub fn table_context(table: &str) -> TableContext {
    let tokens = tokenize(table);
    let has = |list: &[&str]| tokens.iter().any(|t| list.contains(&t.as_str()));
    let health = has(HEALTH_TABLES);
    // Only the last token says what the rows are (`order_customers` are customers).
    let last = tokens.last().map(String::as_str).unwrap_or("");
    TableContext {
        person: PERSON_TABLES.contains(&last) || health,
        thing: THING_TABLES.contains(&last) && !health,
        health,
        catalogue: CATALOGUE_TABLES.contains(&last),
        organisation: ORGANISATION_TABLES.contains(&last),
    }
}

const ORGANISATION_TABLES: &[&str] = &[
    "company",
    "companies",
    "store",
    "stores",
    "shop",
    "shops",
    "warehouse",
    "warehouses",
    "supplier",
    "suppliers",
    "vendor",
    "vendors",
    "branch",
    "branches",
    "office",
    "offices",
    "depot",
    "depots",
    "merchant",
    "merchants",
    "organization",
    "organizations",
    "organisation",
    "organisations",
    "firmen",
    "filialen",
    "lager",
    "entreprises",
    "magasins",
    "empresas",
    "tiendas",
    "bedrijven",
    "winkels",
    "aziende",
    "negozi",
];

/// Column names that only a table of organisations or places has (written together).
const ORGANISATION_COLUMNS: &[&str] = &[
    "industry",
    "annualrevenue",
    "revenue",
    "siccode",
    "tickersymbol",
    "numberofemployees",
    "employeecount",
    "legalform",
    "openinghours",
    "companyregistrationnumber",
    "contactname",
    "contactperson",
    "ansprechpartner",
    "branche",
    "umsatz",
    "chiffredaffaires",
];

/// Whether the columns of a table show its rows are organisations or places: two of the
/// telling names, or a contact person (a person's own row has no contact person).
pub fn organisation_columns<'a>(columns: impl Iterator<Item = &'a str>) -> bool {
    let mut telling = 0;
    for c in columns {
        let compact: String = tokenize(c).concat();
        if ORGANISATION_COLUMNS.contains(&compact.as_str()) {
            if compact.starts_with("contact") || compact == "ansprechpartner" {
                return true;
            }
            telling += 1;
        }
    }
    telling >= 2
}

/// Categories that describe where and how to reach someone: an organisation's or a place's
/// are nobody's. Held only when the column names a person (`contact_name`, `owner_email`).
pub fn organisation_drops(category: Category, column: &str) -> bool {
    const PEOPLE_OF_AN_ORGANISATION: &[&str] = &[
        "contact",
        "person",
        "owner",
        "manager",
        "director",
        "ceo",
        "agent",
        "representative",
        "ansprechpartner",
        "kontakt",
        "responsable",
        "gerente",
        "inhaber",
    ];
    matches!(
        category,
        Name | StreetAddress
            | City
            | PostalCode
            | GeoLocation
            | Phone
            | Email
            | UrlPersonal
            | Income
    ) && !tokenize(column)
        .iter()
        .any(|t| PEOPLE_OF_AN_ORGANISATION.contains(&t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(name: &str) -> Vec<Category> {
        name_cues(name).cues.iter().map(|c| c.0).collect()
    }

    fn top(name: &str) -> Option<Category> {
        name_cues(name).cues.first().map(|c| c.0)
    }

    #[test]
    fn tokenizer_splits_cases_and_digits() {
        assert_eq!(tokenize("customerEmail_2"), ["customer", "email", "2"]);
        assert_eq!(tokenize("HTTPServerName"), ["http", "server", "name"]);
        assert_eq!(tokenize("Geb-Datum"), ["geb", "datum"]);
        assert_eq!(tokenize("addressLine1"), ["address", "line", "1"]);
        assert_eq!(tokenize("Straße"), ["strasse"]);
    }

    #[test]
    fn english_cues() {
        assert_eq!(top("email"), Some(Email));
        assert_eq!(top("e_mail"), Some(Email));
        assert_eq!(top("customerEmailAddress"), Some(Email));
        assert_eq!(top("first_name"), Some(Name));
        assert_eq!(top("fname"), Some(Name));
        assert_eq!(top("dob"), Some(DateOfBirth));
        assert_eq!(top("ssn"), Some(NationalId));
        assert_eq!(top("tel"), Some(Phone));
        assert_eq!(top("home_phone"), Some(Phone));
        assert_eq!(top("addr"), Some(StreetAddress));
        assert_eq!(top("zip"), Some(PostalCode));
        assert_eq!(top("ip_address"), Some(IpAddress));
        assert_eq!(top("mac_address"), Some(MacAddress));
        assert_eq!(top("password_hash"), Some(Credentials));
        assert_eq!(top("iban"), Some(BankAccount));
        assert_eq!(top("user_name"), Some(Username));
        assert_eq!(top("latitude"), Some(GeoLocation));
        assert_eq!(top("credit_card_number"), Some(CreditCard));
    }

    #[test]
    fn german_cues() {
        assert_eq!(top("geb_datum"), Some(DateOfBirth));
        assert_eq!(top("Geburtsdatum"), Some(DateOfBirth));
        assert_eq!(top("plz"), Some(PostalCode));
        assert_eq!(top("strasse"), Some(StreetAddress));
        assert_eq!(top("Straße"), Some(StreetAddress));
        assert_eq!(top("stadt"), Some(City));
        assert_eq!(top("telefonnummer_privat"), Some(Phone));
        assert_eq!(top("Vorname"), Some(Name));
        assert_eq!(top("Staatsangehörigkeit"), Some(Nationality));
        assert_eq!(top("Steuer_ID"), Some(NationalId));
        assert_eq!(top("Konfession"), Some(Religion));
    }

    #[test]
    fn french_cues() {
        assert_eq!(top("courriel"), Some(Email));
        assert_eq!(top("adresse"), Some(StreetAddress));
        assert_eq!(top("ville"), Some(City));
        assert_eq!(top("prenom"), Some(Name));
        assert_eq!(top("date_de_naissance"), Some(DateOfBirth));
        assert_eq!(top("cp"), Some(PostalCode));
        assert_eq!(top("nir"), Some(NationalId));
        assert_eq!(top("adresse_mail"), Some(Email));
    }

    #[test]
    fn spanish_cues() {
        assert_eq!(top("telefono"), Some(Phone));
        assert_eq!(top("dni"), Some(NationalId));
        assert_eq!(top("apellidos"), Some(Name));
        assert_eq!(top("fecha_nacimiento"), Some(DateOfBirth));
        assert_eq!(top("codigo_postal"), Some(PostalCode));
        assert_eq!(top("correo_electronico"), Some(Email));
    }

    #[test]
    fn dutch_cues() {
        assert_eq!(top("bsn"), Some(NationalId));
        assert_eq!(top("achternaam"), Some(Name));
        assert_eq!(top("woonplaats"), Some(City));
        assert_eq!(top("geboortedatum"), Some(DateOfBirth));
        assert_eq!(top("telefoonnummer"), Some(Phone));
    }

    #[test]
    fn italian_cues() {
        assert_eq!(top("cf"), Some(NationalId));
        assert_eq!(top("codice_fiscale"), Some(NationalId));
        assert_eq!(top("cognome"), Some(Name));
        assert_eq!(top("via"), Some(StreetAddress));
        assert_eq!(top("data_di_nascita"), Some(DateOfBirth));
    }

    #[test]
    fn polish_cues() {
        assert_eq!(top("pesel"), Some(NationalId));
        assert_eq!(top("nazwisko"), Some(Name));
        assert_eq!(top("imie"), Some(Name));
        assert_eq!(top("ulica"), Some(StreetAddress));
        assert_eq!(top("miasto"), Some(City));
        assert_eq!(top("data_urodzenia"), Some(DateOfBirth));
    }

    #[test]
    fn things_are_not_people() {
        assert!(cats("product_name").is_empty());
        assert!(cats("company_name").is_empty());
        assert!(cats("file_name").is_empty());
        assert!(cats("status").is_empty());
        assert!(cats("order_id").is_empty());
        assert!(cats("sku").is_empty());
        assert!(cats("tracking_number").is_empty());
        assert!(cats("email_verified").is_empty());
        assert!(cats("address_id").is_empty());
        assert!(cats("page").is_empty(), "`age` inside a word is no cue");
        assert!(cats("usage").is_empty());
        assert!(cats("secretary").is_empty());
        assert!(name_cues("tracking_number").decoy_id);
    }

    #[test]
    fn ambiguous_name_needs_a_person() {
        let plain = name_cues("name");
        assert_eq!(plain.cues[0].0, Name);
        assert!(plain.cues[0].1 < 0.6);
        let customer = name_cues("customer_name");
        assert!(customer.cues[0].1 >= 0.7);
    }

    #[test]
    fn table_contexts() {
        assert!(table_context("customers").person);
        assert!(table_context("products").thing);
        assert!(table_context("shop_produits").catalogue);
        assert!(!table_context("orders").catalogue);
        assert!(table_context("Patienten").health);
        assert!(table_context("pacjenci").health);
        assert!(!table_context("orders").person);
    }

    #[test]
    fn common_schema_abbreviations_are_cues() {
        assert_eq!(top("fullnm"), Some(Name));
        assert_eq!(top("first_nm"), Some(Name));
        assert_eq!(top("pos_title"), Some(Job));
        assert_eq!(top("vehicle_registration"), Some(VehicleId));
        assert_eq!(top("dx"), Some(Health));
        assert_eq!(top("ethn"), Some(EthnicOrigin));
        assert_eq!(top("relig"), Some(Religion));
        assert_eq!(top("party_affiliation"), Some(PoliticalOpinion));
        assert_eq!(top("fp_tmpl"), Some(Biometric));
        assert_eq!(top("geno"), Some(Genetic));
        assert_eq!(top("gross_sal"), Some(Income));
    }
}
