//! Values that describe a person: names (by dictionary and structure),
//! postal addresses (by structure), gender, age, postal codes and
//! coordinates.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Common given names in English, Spanish, German, French, Portuguese and
/// Italian, with a few of the most common elsewhere; lower case. Names that
/// are also everyday words (Rose, Mark, Will, Grace) are left out.
const FIRST_NAMES: &str = "james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony donald steven paul andrew joshua kenneth kevin brian george edward ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank alexander raymond patrick jack dennis jerry tyler aaron henry douglas peter adam nathan zachary walter kyle harold carl arthur gerald roger keith jeremy lawrence sean christian albert joe ethan austin jesse willie billy bryan bruce jordan ralph roy noah dylan eugene wayne alan juan louis russell gabriel randy philip harry vincent bobby johnny logan mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather diane julie joyce victoria kelly christina lauren joan evelyn olivia judith megan cheryl martha andrea frances hannah jacqueline ann gloria jean kathryn alice teresa sara janice doris madison julia judy abigail marie denise beverly amber theresa marilyn danielle diana brittany natalie sophia alexis lori kayla jane isabella charlotte ava mia ana amelia harper ella chloe lucy oliver liam elijah lucas mason leo luca mateo santiago sebastian diego alejandro javier carlos miguel jose luis jorge manuel francisco antonio pedro pablo fernando ricardo sergio alberto rafael andres eduardo enrique ramon raul ignacio alvaro gonzalo rodrigo joaquin emilio hugo martina lucia sofia valentina camila valeria ximena isabel carmen pilar rosario dolores mercedes beatriz cristina silvia elena raquel marta nuria monica patricia lorena ines alba paula claudia natalia adriana gabriela daniela fernanda juliana mariana leticia luciana rafaela larissa thiago joao gustavo felipe bruno leonardo matheus vinicius caio marcelo fabio renato rogerio sebastiao francisca antonia adriana aline jessica bianca tatiana vanessa priscila renata simone patricia helena thomas klaus jurgen dieter wolfgang hans uwe stefan andreas markus matthias tobias florian lukas jonas maximilian felix moritz niklas jan tim sven torsten bernd gunter horst heinz werner manfred helmut gerhard ursula ingrid renate gisela monika sabine petra birgit heike claudia anja katrin susanne andrea stefanie nicole julia lena leonie laura johanna marie sophie hannah mia emilia jean pierre jacques michel philippe alain bernard francois nicolas christophe frederic laurent olivier sebastien thierry patrick pascal didier eric guillaume antoine julien maxime romain quentin mathieu vincent yves rene marcel andre claude gerard daniel dominique nathalie isabelle sylvie catherine francoise valerie sandrine veronique christine sophie celine chantal aurelie emilie juliette camille chloe manon ines lea clemence margaux oceane giuseppe giovanni francesco alessandro andrea lorenzo matteo marco luigi salvatore mario roberto stefano angelo vincenzo paolo davide simone federico riccardo giulia francesca chiara alessandra sara valentina federica silvia elisa martina giorgia aurora alessia anna mohammed muhammad ahmed ali omar fatima aisha wei li ming hiroshi yuki kenji takashi akira haruto yui sakura raj rahul amit priya anjali deepak vikram arjun olga ivan dmitri sergei natasha tatyana piotr krzysztof tomasz agnieszka katarzyna";

/// Common surnames in the same languages; lower case, without diacritics
/// (values are folded before the look-up).
const SURNAMES: &str = "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts phillips evans turner parker collins edwards stewart morris murphy cook rogers morgan peterson cooper reed bailey bell kelly howard ward cox richardson wood watson brooks bennett gray james hughes price sanders myers long ross foster mueller muller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch richter klein wolf schroder neumann schwarz zimmermann braun kruger hofmann hartmann lange schmitt werner krause meier lehmann bernard dubois durand leroy moreau laurent lefebvre michel fournier morel girard mercier dupont lambert bonnet francois rousseau blanc guerin muller boyer garnier chevalier silva santos ferreira pereira oliveira costa rodrigues almeida nascimento lima araujo fernandes carvalho gomes martins rocha ribeiro alves monteiro mendes barros freitas barbosa pinto moura cavalcanti dias castro campos cardoso souza sousa fernandez gonzales jimenez ruiz diaz moreno munoz alvarez romero alonso gutierrez navarro dominguez vazquez ramos serrano molina morales suarez ortega delgado ortiz rubio marin sanz iglesias medina garrido cortes castillo santana guerrero rossi russo ferrari esposito bianchi romano colombo ricci marino greco gallo conti giordano mancini rizzo lombardi moretti barbieri fontana kowalski nowak wisniewski wojcik kowalczyk ivanov smirnov kuznetsov popov petrov kim park choi chen wang zhang liu yang huang zhao zhou singh kumar sharma patel gupta khan ahmed hussain sato suzuki takahashi tanaka watanabe yamamoto nakamura kobayashi yilmaz kaya demir sahin jansen janssen visser bakker dejong peeters nielsen hansen jensen andersen larsen johansson karlsson nilsson eriksson";

static FIRST: LazyLock<HashSet<&'static str>> = LazyLock::new(|| FIRST_NAMES.split_whitespace().collect());
static LAST: LazyLock<HashSet<&'static str>> = LazyLock::new(|| SURNAMES.split_whitespace().collect());

/// Lower-cases `word` into `buf`, folding the Latin-1 and Latin Extended-A
/// letters with diacritics to their base letter; `None` if it does not fit
/// or has a character that is not a letter, apostrophe or hyphen.
fn fold<'a>(word: &str, buf: &'a mut [u8; 32]) -> Option<&'a str> {
    let mut n = 0;
    for c in word.chars() {
        let base = match c {
            'a'..='z' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
            'ç' | 'Ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ę' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'Ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            'ś' | 'š' => 's',
            'ß' => {
                if n + 2 > buf.len() {
                    return None;
                }
                buf[n] = b's';
                buf[n + 1] = b's';
                n += 2;
                continue;
            }
            'ł' | 'Ł' => 'l',
            'ż' | 'ź' | 'ž' => 'z',
            '\'' | '-' | '’' => continue,
            _ => return None,
        };
        if n == buf.len() {
            return None;
        }
        buf[n] = base as u8;
        n += 1;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Whether `word` is a given name or surname in the dictionary.
pub fn is_known_name(word: &str) -> bool {
    let mut buf = [0u8; 32];
    fold(word, &mut buf).is_some_and(|w| FIRST.contains(w) || LAST.contains(w))
}

/// Whether `s` looks like a person's name: one to four words of letters
/// (apostrophes and hyphens allowed), capitalised or all one case, in the
/// order given or `Last, First`, with at least one word in the name
/// dictionary and none longer than 20 letters.
pub fn is_person_name(s: &str) -> bool {
    let s = s.trim();
    if s.len() < 2 || s.len() > 60 {
        return false;
    }
    let mut words: i32 = 0;
    let mut content: i32 = 0;
    let mut known: i32 = 0;
    for (i, w) in s.split([' ', ',']).filter(|w| !w.is_empty()).enumerate() {
        words += 1;
        if words > 4 {
            return false;
        }
        let w = w.trim_end_matches('.');
        let first = w.chars().next().unwrap_or(' ');
        let mut buf = [0u8; 32];
        let Some(folded) = fold(w, &mut buf) else { return false };
        if folded.is_empty() || folded.len() > 20 {
            return false;
        }
        // Particles and initials: de, da, van, von, J.
        let particle = matches!(folded, "de" | "da" | "do" | "dos" | "das" | "del" | "della" | "di" | "du" | "la" | "le" | "van" | "von" | "der" | "den" | "y" | "e") || folded.len() == 1;
        if !first.is_uppercase() && !particle && s.chars().any(char::is_uppercase) {
            return false;
        }
        if particle {
            if i == 0 && folded.len() > 1 {
                return false;
            }
            content -= 1;
        }
        if FIRST.contains(folded) || LAST.contains(folded) {
            known += 1;
        }
    }
    content += words;
    known >= 1 && known * 2 >= content.clamp(1, 3)
}

/// Street-type words in the supported languages (lower case, no dots).
const STREET_WORDS: &[&str] = &[
    "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct", "place", "pl", "way", "parkway", "pkwy", "highway", "hwy",
    "terrace", "square", "sq", "circle", "cir", "trail", "close", "crescent", "suite", "apt", "calle", "c", "avenida", "avda", "paseo", "plaza", "carrera", "camino", "rua", "r", "travessa",
    "largo", "praca", "estrada", "alameda", "rue", "chemin", "allee", "impasse", "quai", "route", "cours", "strasse", "str", "weg", "platz", "gasse", "allee", "ring", "damm", "ufer", "via",
    "viale", "piazza", "corso", "vicolo",
];

/// Whether `s` looks like a street address: a house number (digits,
/// possibly with a letter) and a street-type word (or a German compound
/// ending in -straße, -weg, -platz, -gasse).
pub fn is_street_address(s: &str) -> bool {
    if s.len() < 6 || s.len() > 200 {
        return false;
    }
    let mut has_number = false;
    let mut has_street = false;
    let mut words = 0;
    for w in s.split([' ', ',']).filter(|w| !w.is_empty()) {
        words += 1;
        let w = w.trim_end_matches(['.', ',']);
        let digits = w.bytes().filter(u8::is_ascii_digit).count();
        if digits > 0 && digits <= 5 && w.len() <= digits + 2 {
            has_number = true;
            continue;
        }
        let mut buf = [0u8; 32];
        if let Some(f) = fold(w, &mut buf) {
            if STREET_WORDS.contains(&f) || (f.len() > 6 && ["strasse", "weg", "platz", "gasse", "allee"].iter().any(|suffix| f.ends_with(suffix))) {
                has_street = true;
            }
        }
    }
    has_number && has_street && (2..=14).contains(&words)
}

/// Whether `s` is a word for a gender or sex in one of the supported
/// languages. Single letters (`m`, `f`) count as weak evidence only; see
/// [`is_gender_letter`].
pub fn is_gender_word(s: &str) -> bool {
    let mut buf = [0u8; 32];
    let Some(f) = fold(s, &mut buf) else { return false };
    matches!(
        f,
        "male" | "female" | "man" | "woman" | "nonbinary" | "masculino" | "femenino" | "feminino" | "hombre" | "mujer" | "homem" | "mulher" | "mannlich" | "maennlich" | "weiblich" | "divers"
            | "homme" | "femme" | "masculin" | "feminin" | "maschio" | "femmina"
    )
}

/// Whether `s` is a one-letter gender code (`M`, `F`, `X`, `H`, `W`, `D`).
pub fn is_gender_letter(s: &str) -> bool {
    matches!(s, "M" | "F" | "m" | "f" | "X" | "x" | "H" | "h" | "W" | "w" | "D" | "d")
}

/// Whether `s` is a whole number of years a person can be (0 to 120).
pub fn is_age(s: &str) -> bool {
    !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u16>().is_ok_and(|n| n <= 120)
}

/// Whether `s` has the shape of a postal code: US ZIP (`12345`,
/// `12345-6789`), UK postcode, Canadian (`A1A 1A1`), Dutch (`1234 AB`),
/// Brazilian CEP (`12345-678`), Portuguese (`1234-567`), Japanese
/// (`123-4567`). Shape only: it counts with a column name.
pub fn is_postal_code(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    let a = |c: u8| c.is_ascii_uppercase();
    match b.len() {
        4 | 5 => d(b),
        10 => d(&b[..5]) && b[5] == b'-' && d(&b[6..]),
        9 => d(&b[..5]) && b[5] == b'-' && d(&b[6..]),
        8 => (d(&b[..4]) && b[4] == b'-' && d(&b[5..])) || (d(&b[..3]) && b[3] == b'-' && d(&b[4..])) || uk_postcode(b),
        7 => (a(b[0]) && b[1].is_ascii_digit() && a(b[2]) && b[3] == b' ' && b[4].is_ascii_digit() && a(b[5]) && b[6].is_ascii_digit())
            || (d(&b[..4]) && b[4] == b' ' && a(b[5]) && a(b[6]))
            || uk_postcode(b),
        6 => uk_postcode(b) || d(b),
        _ => false,
    }
}

/// UK postcode: outward code (A9, A99, AA9, AA99, A9A, AA9A), a space, and
/// inward code (9AA).
fn uk_postcode(b: &[u8]) -> bool {
    let Some(space) = b.iter().position(|&c| c == b' ') else { return false };
    let (out, inw) = (&b[..space], &b[space + 1..]);
    inw.len() == 3
        && inw[0].is_ascii_digit()
        && inw[1].is_ascii_uppercase()
        && inw[2].is_ascii_uppercase()
        && (2..=4).contains(&out.len())
        && out[0].is_ascii_uppercase()
        && out.iter().any(u8::is_ascii_digit)
        && out.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Whether `s` is a decimal coordinate with at least four decimals in
/// -180..=180 (one of a latitude/longitude pair), or a `lat, lon` pair.
pub fn is_coordinate(s: &str) -> bool {
    if let Some((a, b)) = s.split_once(',') {
        return one_coordinate(a.trim(), 90.0) && one_coordinate(b.trim(), 180.0);
    }
    one_coordinate(s, 180.0)
}

fn one_coordinate(s: &str, max: f64) -> bool {
    let decimals = s.split_once('.').map_or(0, |(_, f)| f.len());
    decimals >= 4 && s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') && s.parse::<f64>().is_ok_and(|v| v.abs() <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["John Smith", "María José García", "Müller, Jürgen", "jean dupont", "Ana de Souza", "Smith"] {
            assert!(is_person_name(ok), "{ok}");
        }
        for bad in ["Blue Widget", "Apple iPhone 12", "The quick brown fox jumps over", "Smith123", ""] {
            assert!(!is_person_name(bad), "{bad}");
        }
    }

    #[test]
    fn addresses() {
        for ok in ["123 Main St", "Hauptstraße 5", "12 rue de la Paix", "Rua Augusta, 100", "1600 Amphitheatre Pkwy, Mountain View"] {
            assert!(is_street_address(ok), "{ok}");
        }
        for bad in ["Main St", "123 apples", "hello world"] {
            assert!(!is_street_address(bad), "{bad}");
        }
    }

    #[test]
    fn small_ones() {
        assert!(is_gender_word("Female") && is_gender_word("weiblich") && !is_gender_word("blue"));
        assert!(is_age("42") && !is_age("130") && !is_age("-1"));
        for ok in ["94103", "94103-1234", "SW1A 1AA", "K1A 0B1", "1012 AB", "01310-100", "1000-001", "100-0001"] {
            assert!(is_postal_code(ok), "{ok}");
        }
        assert!(!is_postal_code("hello"));
        assert!(is_coordinate("48.85837") && is_coordinate("48.8583, 2.2944") && !is_coordinate("1.5"));
    }
}
