//! The multilingual dictionary of column-name words: which token sequences
//! name which kind of personal data, in English, Spanish, German, French
//! and Portuguese (with common abbreviations), and which table names make a
//! bare `name` a person's name.

use std::sync::LazyLock;

use crate::types::PiiType;

/// One dictionary entry: a token sequence that names a type.
#[derive(Debug, Clone)]
pub struct NameRule {
    /// The tokens, in order, as [`crate::tokenize::tokenize`] produces them.
    pub tokens: Vec<&'static str>,
    /// The type it names.
    pub pii: PiiType,
    /// How sure the name alone makes us, 0..1.
    pub weight: f32,
    /// Only in a table about people (`users.name`, not `products.name`).
    pub needs_person_table: bool,
}

/// The dictionary, one type a line: `type weight[*]: phrase, phrase, ...`.
/// `*` marks phrases that need a person table.
const DICTIONARY: &str = "
email 0.95: email, e mail, emailaddress, email address, mail address, correo, correo electronico, courriel, adresse mail, adresse email, endereco email, emailadresse, mailadresse
email 0.75: mail
phone 0.9: phone, phone number, phonenumber, telephone, tel, tel no, telno, mobile, mobile number, cell, cellphone, cell phone, fax, msisdn, telefono, movil, celular, telefon, telefonnummer, handy, handynummer, mobilnummer, telephone portable, portable, numero telephone, telefone, numero telefone, contact number
person_name 0.9: first name, firstname, fname, given name, givenname, last name, lastname, lname, surname, family name, familyname, middle name, middlename, maiden name, full name, fullname, nombre completo, primer nombre, apellido, apellidos, primer apellido, segundo apellido, vorname, nachname, familienname, geburtsname, prenom, nom de famille, nom complet, sobrenome, nome completo, primeiro nome, ultimo nome, apelido, legal name, real name, cardholder name, card holder name, holder name, contact name, customer name, employee name, patient name, person name, recipient name, sender name, billing name, shipping name
person_name 0.6: display name, displayname, author name, owner name, signer name, assignee name, committer name
person_name 0.85*: name, names, nombre, nom, nome, vollname
username 0.8: username, user name, login, login name, screen name, screenname, nickname, nick, handle, benutzername, nombre usuario, nom utilisateur, nome usuario, usuario, utilisateur, benutzer
street_address 0.85: street, street address, streetaddress, address line, address line1, address line 1, address line 2, addr line, billing address, shipping address, home address, postal address, mailing address, residential address, delivery address, direccion, domicilio, calle, strasse, hausnummer, anschrift, wohnadresse, adresse postale, rue, endereco, logradouro, rua, morada
street_address 0.7: address, addr, adresse
postal_code 0.85: zip, zipcode, zip code, postcode, post code, postal code, postalcode, plz, postleitzahl, codigo postal, code postal, cep, cp
city 0.6: city, town, ciudad, localidad, stadt, wohnort, ville, cidade, municipio
geo_location 0.85: latitude, longitude, lat lng, lat lon, lat long, geolocation, geo location, gps, coordinates, coords, geopoint, geo point, location coordinates
geo_location 0.6: lat, lng, lon, geo
date_of_birth 0.95: dob, birth date, birthdate, date of birth, dateofbirth, birthday, born on, born at, fecha nacimiento, fecha de nacimiento, nacimiento, geburtsdatum, geburtstag, date naissance, date de naissance, naissance, data nascimento, data de nascimento, nascimento
age 0.8*: age, edad, alter, idade
gender 0.85: gender, sex, genero, sexo, geschlecht, sexe, genre
us_ssn 0.95: ssn, social security, social security number, social security no, socialsecuritynumber, ss number
uk_nhs 0.95: nhs, nhs number, nhs no
es_dni 0.9: dni, nif, documento nacional identidad
es_nie 0.9: nie
br_cpf 0.95: cpf
in_aadhaar 0.95: aadhaar, aadhar, aadhaar number, uid aadhaar
fr_nir 0.9: nir, insee, numero securite sociale, securite sociale, numero ss
de_tax_id 0.9: steuer id, steuerid, steueridentifikationsnummer, idnr, steuernummer, steuer identifikationsnummer
national_id 0.85: national id, nationalid, national identity, national identification number, national number, id number, id card, identity card, identity number, identity document, id document, cedula, curp, rut, bsn, pesel, personnummer, codice fiscale, personalausweis, ausweisnummer, carte identite, numero identite, rg, sin, social insurance number, nin, nino, national insurance, national insurance number, citizen id, personal id, personal number, nss, sozialversicherungsnummer, numero seguridad social, documento identidad, numero documento
tax_id 0.85: tax id, taxid, tax number, tin, taxpayer id, vat number, ein, itin, cnpj, nif fiscal, numero fiscal, numero contribuinte, identifiant fiscal
passport 0.9: passport, passport number, passport no, passportnumber, pasaporte, reisepass, passeport, passaporte
driver_license 0.9: driver license, drivers license, driver licence, drivers licence, driving licence, driving license, driverslicense, driverlicense, dl number, licence number, license number, licencia conducir, licencia de conducir, fuehrerschein, fuhrerschein, fuehrerscheinnummer, permis conduire, permis de conduire, carteira motorista, cnh
credit_card 0.95: credit card, creditcard, card number, cardnumber, card no, cc number, ccnumber, ccnum, pan, primary account number, cvv, cvv2, cvc, cvc2, card verification, card security code, card expiry, card expiration, expiry date card, tarjeta, tarjeta credito, numero tarjeta, kreditkarte, kreditkartennummer, kartennummer, carte bancaire, carte credito, numero carte, cartao, cartao credito, numero cartao
iban 0.95: iban
bank_account 0.85: bank account, bankaccount, routing number, sort code, bank number, cuenta bancaria, kontonummer, bankverbindung, compte bancaire, conta bancaria, rib, clabe, bsb
bank_account 0.45: account number, accountnumber, acct number, acct no, account no, numero cuenta, numero compte, numero conta
swift_bic 0.85: swift, swift code, bic, bic code, swiftbic
ip_address 0.9: ip, ip address, ipaddress, ip addr, ipaddr, ipv4, ipv6, remote addr, remote address, client ip, source ip, sign in ip, direccion ip, adresse ip, endereco ip
mac_address 0.9: mac address, macaddress, macaddr, mac addr, hardware address, hwaddr
password 0.95: password, passwd, pwd, pass hash, password hash, password digest, passcode, pin code, pincode, contrasena, clave, passwort, kennwort, mot de passe, mdp, senha
secret 0.85: secret, secret key, client secret, api key, apikey, api secret, access key, access token, auth token, refresh token, bearer token, private key, privatekey, secret token, token, otp secret, totp secret, session token, signing key, webhook secret, encryption key
vin 0.9: vin, vehicle identification number, chassis number, fahrgestellnummer, numero bastidor, numero chassi
license_plate 0.85: license plate, licence plate, licenseplate, plate number, number plate, registration plate, kennzeichen, matricula, placa, plaque immatriculation, immatriculation
health_data 0.85: diagnosis, diagnoses, medical, medical record, medical record number, mrn, health, health record, medication, medications, prescription, allergy, allergies, blood type, disability, icd, icd10, treatment, symptoms, condition medical, diagnostico, diagnose, krankheit, diagnostic, sante, saude, health insurance number, insurance member id
biometric 0.85: biometric, biometrics, face template, faceprint, retina, iris scan, voiceprint, fingerprint template, fingerprint image
special_category 0.85: ethnicity, ethnic origin, race, religion, religious, political party, political opinion, sexual orientation, trade union, union membership, etnia, raza, religion, ethnie, origine ethnique, etnia
";

/// The parsed dictionary.
pub static RULES: LazyLock<Vec<NameRule>> = LazyLock::new(|| {
    let mut rules = Vec::new();
    for line in DICTIONARY.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((head, phrases)) = line.split_once(':') else { continue };
        let mut head = head.split_whitespace();
        let (Some(ty), Some(weight)) = (head.next(), head.next()) else { continue };
        let Some(pii) = PiiType::from_name(ty) else { continue };
        let needs_person_table = weight.ends_with('*');
        let weight: f32 = weight.trim_end_matches('*').parse().unwrap_or(0.5);
        for phrase in phrases.split(',') {
            let tokens: Vec<&'static str> = phrase.split_whitespace().collect();
            if !tokens.is_empty() {
                rules.push(NameRule { tokens, pii, weight, needs_person_table });
            }
        }
    }
    rules
});

/// Table-name tokens (singular) that mean each row is a person.
pub const PERSON_TABLES: &[&str] = &[
    "user", "users", "customer", "client", "employee", "person", "people", "persona", "personas", "member", "patient", "student", "contact", "staff", "applicant",
    "passenger", "guest", "subscriber", "author", "teacher", "doctor", "physician", "nurse", "worker", "buyer", "seller", "tenant", "resident", "citizen",
    "individual", "recipient", "beneficiary", "cardholder", "prospect", "volunteer", "donor", "attendee", "participant", "traveler", "traveller", "visitor",
    "signer", "reviewer", "user_detail", "cliente", "usuario", "empleado", "paciente", "alumno", "estudiante", "contacto", "miembro", "kunde", "benutzer", "mitarbeiter", "person", "patient",
    "mitglied", "utilisateur", "employe", "salarie", "personne", "adherent", "eleve", "etudiant", "usuario", "funcionario", "aluno", "pessoa", "membro", "colaborador",
];

/// Column-name tokens after a match that make the column describe the data
/// rather than hold it (`email_verified`, `phone_type`, `name_count`).
pub const MODIFIERS: &[&str] = &[
    "at", "on", "count", "counts", "enabled", "disabled", "verified", "verification", "confirmed", "confirmation", "type", "types", "kind", "status", "flag", "flags", "required",
    "visibility", "visible", "format", "template", "length", "policy", "setting", "settings", "provider", "sent", "optin", "opt", "regex", "pattern", "validation", "version", "source",
    "changed", "updated", "expires", "expired", "expiry", "expiration", "enforced", "allowed", "level", "mode", "strategy", "preference", "preferences", "option", "options", "domain",
    "domains", "id", "ids", "uuid", "key", "index", "rule", "rules", "method", "scope", "scopes", "set", "sync", "synced", "reset", "last", "hint", "hints", "strength", "attempts",
    "algorithm", "prefix", "suffix", "bounce", "bounced", "language", "locale", "lang", "label", "description", "requirement", "requirements", "config", "limit", "duration", "ttl",
    "lifetime", "rotation", "interval", "changed", "pending", "style", "approval", "text", "hostname", "host", "restriction",
    "restrictions", "otp", "subject", "body", "content", "footer", "header", "message", "messages", "field", "fields", "endpoint", "url", "uri", "path", "server", "port", "iv", "nonce",
    "policies", "name", "names", "events", "event", "notify", "inherited", "protection", "detection", "revocation", "available", "operator", "check", "checks", "participant",
];

/// Words that appear in column names around the dictionary's phrases;
/// with the dictionary's own words they split run-together names.
const OTHER_WORDS: &[&str] = &["line", "number", "no", "num", "nr", "hash", "salt", "code", "date", "month", "year", "day", "card", "title", "suffix", "prefix", "middle", "first", "primary", "secondary", "home", "work", "office", "business", "personal", "contact", "billing", "shipping", "modified", "created", "encrypted", "digest", "value", "info", "data", "full", "short", "long", "display", "legal", "current", "previous", "main", "alt", "other", "emergency", "person", "customer", "employee", "user", "account"];

/// Every word the dictionary knows: the phrases' words, the modifiers, the
/// flag prefixes and [`OTHER_WORDS`].
pub static VOCABULARY: LazyLock<std::collections::HashSet<&'static str>> = LazyLock::new(|| {
    RULES.iter().flat_map(|r| r.tokens.iter().copied()).chain(MODIFIERS.iter().copied()).chain(FLAG_PREFIXES.iter().copied()).chain(OTHER_WORDS.iter().copied()).collect()
});

/// Column-name tokens before a match that make the column a setting or a
/// flag (`is_email`, `require_password`, `show_phone`).
pub const FLAG_PREFIXES: &[&str] = &[
    "is", "has", "can", "allow", "allows", "enable", "enabled", "disable", "show", "hide", "require", "requires", "use", "uses", "send", "sends", "should", "must", "needs", "max", "min",
    "default", "with", "without", "num", "number", "smtp", "prevent",
];
