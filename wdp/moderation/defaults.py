"""The default code-of-conduct reasons and message templates (product.md), seeded once."""

REASONS = [
    ("anonymity", "De schrijver of de gebruiker is te herkennen.",
     "L'auteur ou l'usager peut être reconnu.",
     "The writer or the user can be recognised."),
    ("complaint_or_crime", "Het is een klacht of gaat over iets wat strafbaar is.",
     "C'est une plainte ou cela concerne un fait punissable.",
     "It is a complaint or is about a criminal matter."),
    ("racism", "Er staan racistische opmerkingen in.",
     "Elle contient des propos racistes.",
     "It contains racist remarks."),
    ("swearing", "Er staan scheldwoorden in.",
     "Elle contient des injures.",
     "It contains swearing."),
    ("staff", "Ze valt medewerkers persoonlijk aan of noemt hen bij naam.",
     "Elle attaque le personnel ou le nomme.",
     "It attacks staff personally or names them."),
    ("privacy", "Er staan persoonlijke gegevens in van de schrijver of de organisatie.",
     "Elle contient des données personnelles de l'auteur ou de l'organisation.",
     "It contains personal data of the writer or the organisation."),
    ("reliability", "Ze lijkt niet betrouwbaar: vals, ongeloofwaardig of uit wraak.",
     "Elle ne semble pas fiable : fausse, invraisemblable ou par vengeance.",
     "It does not seem reliable: fake, improbable or out of revenge."),
    ("readability", "Ze is niet goed te lezen.",
     "Elle n'est pas lisible.",
     "It cannot be read well."),
    ("repeat", "Dezelfde persoon waardeerde deze locatie kort geleden al.",
     "La même personne a déjà évalué ce lieu récemment.",
     "The same person rated this location a short while ago."),
]

#: reasons about a rating's writer that do not fit an organisation's response
NOT_FOR_RESPONSES = {"reliability", "repeat"}

TEMPLATES = {
    "rejected": {
        "nl": "Bedankt voor je waardering. De redactie kan ze niet online zetten, omdat ze niet "
              "past bij de gedragscode. Je mag altijd een nieuwe waardering schrijven.",
        "fr": "Merci pour votre évaluation. La rédaction ne peut pas la publier, car elle ne "
              "respecte pas le code de conduite. Vous pouvez toujours en écrire une nouvelle.",
        "en": "Thank you for your rating. The editors cannot put it online, because it does not "
              "follow the code of conduct. You are always welcome to write a new one.",
    },
    "changes_requested": {
        "nl": "Bedankt voor je waardering. Wil je ze een beetje aanpassen? Dan kan ze online.",
        "fr": "Merci pour votre évaluation. Pouvez-vous la modifier un peu ? Elle pourra alors "
              "être publiée.",
        "en": "Thank you for your rating. Could you change it a little? Then it can go online.",
    },
    "removed": {
        "nl": "Iemand meldde je waardering. De redactie heeft ze bekeken en van de site gehaald.",
        "fr": "Quelqu'un a signalé votre évaluation. La rédaction l'a examinée et retirée du site.",
        "en": "Someone reported your rating. The editors looked at it and took it off the site.",
    },
    "signal": {
        "nl": "De redactie van WDP ontving een waardering die kan wijzen op een ernstig risico. "
              "U vindt de waardering en de locatie hieronder.",
        "fr": "La rédaction de WDP a reçu une évaluation qui peut indiquer un risque grave. "
              "Vous trouverez l'évaluation et le lieu ci-dessous.",
        "en": "The WDP editors received a rating that may point to a serious risk. "
              "You will find the rating and the location below.",
    },
}
