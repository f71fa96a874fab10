"""The default theme questions per sector (product.md), seeded once; admins may reword them.

Each entry: key, then per language a tuple (title, question to the user, question to someone
who fills in for the user, help text).
"""

DEFAULT_THEMES = {
    "ouderenzorg": [
        ("care_on_time", {
            "nl": ("Zorg op tijd",
                   "Krijg je de zorg op het moment dat je die nodig hebt?",
                   "Krijgt hij of zij de zorg op het moment dat dat nodig is?",
                   "Denk aan wassen, aankleden, medicijnen en naar het toilet gaan."),
        }),
        ("respect", {
            "nl": ("Respect",
                   "Gaan de medewerkers met respect met je om?",
                   "Gaan de medewerkers met respect met hem of haar om?",
                   "Denk aan vriendelijk zijn, kloppen voor ze binnenkomen en je privacy."),
        }),
        ("listened_to", {
            "nl": ("Luisteren en mee beslissen",
                   "Luisteren ze naar je en mag je mee beslissen?",
                   "Luisteren ze naar hem of haar en mag hij of zij mee beslissen?",
                   "Bijvoorbeeld over je dag, je zorg en wat je graag doet."),
        }),
        ("information", {
            "nl": ("Informatie",
                   "Krijg je (en je familie) goede informatie?",
                   "Krijgen hij of zij en de familie goede informatie?",
                   "Is de uitleg duidelijk? Hoor je op tijd wat er verandert?"),
        }),
        ("food", {
            "nl": ("Eten en drinken",
                   "Hoe tevreden ben je over het eten en drinken?",
                   "Hoe tevreden is hij of zij over het eten en drinken?",
                   "Denk aan smaak, keuze en genoeg tijd om te eten."),
        }),
        ("at_home", {
            "nl": ("Je thuis voelen",
                   "Voel je je hier thuis?",
                   "Voelt hij of zij zich hier thuis?",
                   "Denk aan je kamer, je eigen spullen en de sfeer."),
        }),
        ("activities", {
            "nl": ("Activiteiten",
                   "Zijn er activiteiten die bij je passen?",
                   "Zijn er activiteiten die bij hem of haar passen?",
                   "Denk aan uitstappen, spelletjes, beweging of muziek."),
        }),
        ("help_when_needed", {
            "nl": ("Hulp als je ze nodig hebt",
                   "Komt er snel iemand als je hulp vraagt?",
                   "Komt er snel iemand als hij of zij hulp vraagt?",
                   "Bijvoorbeeld als je belt of roept, ook 's nachts."),
        }),
    ],
    "kinderopvang": [
        ("welcome", {
            "nl": ("Welkom voelen",
                   "Voel je je welkom in de opvang?",
                   "Voelt de ouder zich welkom in de opvang?",
                   "Denk aan het brengen en halen van je kind."),
        }),
        ("child_likes_it", {
            "nl": ("Je kind gaat graag",
                   "Gaat je kind graag naar de opvang?",
                   "Gaat het kind graag naar de opvang?",
                   "Hoe reageert je kind als je het brengt en haalt?"),
        }),
        ("care", {
            "nl": ("Verzorging",
                   "Hoe tevreden ben je over de verzorging van je kind?",
                   "Hoe tevreden is de ouder over de verzorging van het kind?",
                   "Denk aan eten, slapen en verschonen."),
        }),
        ("play", {
            "nl": ("Spelen",
                   "Kan je kind genoeg spelen, ook buiten?",
                   "Kan het kind genoeg spelen, ook buiten?",
                   "Denk aan speelgoed, activiteiten en buiten spelen."),
        }),
        ("how_the_day_went", {
            "nl": ("Horen hoe de dag was",
                   "Hoor je hoe de dag van je kind was?",
                   "Hoort de ouder hoe de dag van het kind was?",
                   "Bijvoorbeeld bij het ophalen, in een schriftje of in een app."),
        }),
        ("reachable", {
            "nl": ("Bereikbaar",
                   "Kun je iemand van de opvang makkelijk bereiken?",
                   "Kan de ouder iemand van de opvang makkelijk bereiken?",
                   "Denk aan telefoon, e-mail of even praten."),
        }),
        ("safe_clean", {
            "nl": ("Veilig en proper",
                   "Is de opvang veilig en proper?",
                   "Is de opvang veilig en proper?",
                   "Denk aan de ruimtes, het speelgoed en de buitenruimte."),
        }),
        ("concerns", {
            "nl": ("Met een zorg terecht kunnen",
                   "Weet je waar je terecht kunt met een vraag of zorg?",
                   "Weet de ouder waar hij of zij terecht kan met een vraag of zorg?",
                   "Bijvoorbeeld als je je zorgen maakt over je kind of de opvang."),
        }),
    ],
    "jeugdhulp": [
        ("quick_help", {
            "nl": ("Snel hulp",
                   "Kreeg je snel hulp?",
                   "Kreeg hij of zij snel hulp?",
                   "Hoe lang moest je wachten?"),
        }),
        ("taken_seriously", {
            "nl": ("Serieus genomen",
                   "Nemen ze je serieus?",
                   "Nemen ze hem of haar serieus?",
                   "Luisteren ze echt naar wat je zegt?"),
        }),
        ("decide_along", {
            "nl": ("Mee beslissen",
                   "Mag je mee beslissen over je hulp?",
                   "Mag hij of zij mee beslissen over de hulp?",
                   "Vragen ze wat jij wilt?"),
        }),
        ("counsellor", {
            "nl": ("Praten met je begeleider",
                   "Kun je goed praten met je begeleider?",
                   "Kan hij of zij goed praten met de begeleider?",
                   "Is er tijd voor je? Voel je je op je gemak?"),
        }),
        ("promises", {
            "nl": ("Afspraken",
                   "Doen ze wat ze beloven?",
                   "Doen ze wat ze hem of haar beloven?",
                   "Denk aan afspraken en uren."),
        }),
        ("safe", {
            "nl": ("Veilig voelen",
                   "Voel je je veilig?",
                   "Voelt hij of zij zich veilig?",
                   "Bij de begeleiders en bij de andere jongeren."),
        }),
        ("where_you_stay", {
            "nl": ("Waar je verblijft",
                   "Vind je het fijn waar je verblijft of samenkomt?",
                   "Vindt hij of zij het fijn waar hij of zij verblijft of samenkomt?",
                   "Denk aan je kamer, de groep of de plek waar je gesprekken hebt."),
        }),
        ("helped", {
            "nl": ("De hulp helpt",
                   "Helpt de hulp je?",
                   "Helpt de hulp hem of haar?",
                   "Gaat het beter met je dan eerst?"),
        }),
    ],
    "handicap": [
        ("safe_well", {
            "nl": ("Veilig en goed voelen",
                   "Voel je je veilig en goed?",
                   "Voelt hij of zij zich veilig en goed?",
                   "Denk aan hoe je je voelt, elke dag."),
        }),
        ("contact", {
            "nl": ("Contact met familie en vrienden",
                   "Kun je contact houden met je familie en vrienden?",
                   "Kan hij of zij contact houden met familie en vrienden?",
                   "Bijvoorbeeld op bezoek gaan, bellen of samen iets doen."),
        }),
        ("living", {
            "nl": ("Fijn wonen",
                   "Woon je fijn, met je eigen spullen?",
                   "Woont hij of zij fijn, met eigen spullen?",
                   "Denk aan je kamer, je spullen en de mensen bij wie je woont."),
        }),
        ("learning", {
            "nl": ("Nieuwe dingen leren",
                   "Kun je nieuwe dingen leren?",
                   "Kan hij of zij nieuwe dingen leren?",
                   "Bijvoorbeeld koken, een cursus of zelf de bus nemen."),
        }),
        ("health", {
            "nl": ("Gezondheid",
                   "Letten ze goed op je gezondheid?",
                   "Letten ze goed op zijn of haar gezondheid?",
                   "Denk aan medicijnen, de dokter en gezond eten."),
        }),
        ("choosing", {
            "nl": ("Zelf kiezen",
                   "Mag je zelf kiezen?",
                   "Mag hij of zij zelf kiezen?",
                   "Bijvoorbeeld wat je eet, wat je draagt en wat je doet."),
        }),
        ("taking_part", {
            "nl": ("Meedoen",
                   "Kun je meedoen in de buurt, op het werk of in je vrije tijd?",
                   "Kan hij of zij meedoen in de buurt, op het werk of in de vrije tijd?",
                   "Denk aan werk, een club, winkelen of uitgaan."),
        }),
        ("respect_privacy", {
            "nl": ("Respect en privacy",
                   "Gaan ze met respect met je om en krijg je privacy?",
                   "Gaan ze met respect met hem of haar om, met privacy?",
                   "Denk aan kloppen op je deur en tijd voor jezelf."),
        }),
    ],
}
