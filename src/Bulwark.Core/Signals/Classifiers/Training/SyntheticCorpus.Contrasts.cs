namespace Bulwark.Core.Signals.Classifiers.Training;

// Synthetic contrast sentences (English and Italian), written for Bulwark from the categories the model confuses with hate:
// counter-speech that names what it condemns without quotation marks, negated statements, praise of and plain talk about
// protected groups, abuse of people and things that are not protected groups, and harmless sentences that share a threat's
// shape ("see you all tomorrow"). They are labelled "none" for every head. Written from the categories, not from any test set.
internal static partial class SyntheticCorpus
{
    private static readonly Dictionary<string, string[]> EnglishContrastLists = new()
    {
        ["HATE1"] = ["hate", "despise", "loathe", "detest", "resent"],
        ["HATES"] = ["hates", "despises", "loathes", "detests", "resents"],
        ["HATING"] = ["hating", "despising", "demonising", "dehumanising", "insulting", "harassing", "mocking"],
        ["INDN"] = ["idiot", "moron", "loser", "clown", "creep", "muppet", "liar", "coward", "jerk", "fraud", "snake"],
        ["PERSON"] =
        [
            "my boss", "my landlord", "the referee", "my ex", "my neighbour", "that waiter", "my sister", "the guy at the gym",
            "my manager", "our coach", "my flatmate", "that streamer", "the mayor", "my teacher", "the new intern", "my cousin",
        ],
        ["NP2"] =
        [
            "mosquitoes", "pigeons", "wasps", "seagulls", "spammers", "scammers", "trolls", "paparazzi", "bailiffs", "traffic wardens",
            "ticket touts", "fare dodgers", "flat earthers", "cheaters", "litterbugs", "stalkers", "hackers", "poachers", "bullies",
            "dog owners who don't pick up", "people who talk in cinemas", "tailgaters", "reality TV stars", "loan sharks",
        ],
        ["THING"] =
        [
            "this weather", "my commute", "that film", "the new album", "this phone", "modern architecture", "tax forms", "Mondays",
            "this diet", "the ending of that show", "wet socks", "the self-checkout", "this heatwave", "my old car", "this city's roads",
            "airport queues", "the team's defence", "cold soup", "that advert", "this spreadsheet",
        ],
        ["CRITIC"] = ["My uncle", "Some guy on the bus", "A commenter", "That politician", "My coworker", "The man next door", "A radio host", "Some troll"],
        ["CONSEQ"] = ["got banned", "was suspended", "lost his job", "was reported", "got fined", "was kicked out of the club", "apologised the next day"],
        ["TREAT"] = ["like dirt", "like animals", "as second-class citizens", "as a threat", "with suspicion", "as less than human"],
        ["FRIENDLY"] = ["with cake", "with snacks", "with the tickets", "with good news", "for a hug", "for the group photo", "with pizza"],
        ["EVENT"] = ["the party", "the match", "the wedding", "practice", "the meetup", "brunch", "the reunion", "the concert", "rehearsal", "the barbecue"],
        // Neutral things to say about a group, for identity sentences that are neither praise nor hate.
        ["NEUTRALVP"] =
        [
            "live in every part of the country", "celebrate their holidays in different ways", "work in all kinds of jobs",
            "are part of the local council", "were counted in the census", "have their own community centre here", "vote in elections",
            "run several shops on this street", "come from many different backgrounds", "speak many languages", "have lived here for generations",
            "were in the news today", "are organising a festival next month", "are the subject of a new study", "attend the school down the road",
        ],
        ["GAMEWIN"] = ["beat you at chess", "destroy you at tennis", "crush you at poker", "smash your high score", "annihilate you in the quiz", "wreck you at Mario Kart"],
    };

    private static readonly string[] EnCounterReference =
    [
        "Stop calling {G} {NOUNH}.", "People who call {G} {NOUNH} should be ashamed.", "Anyone saying {G} are {ADJH} is a bigot.",
        "I'm sick of people claiming {G} are {ADJH}.", "Saying that {G} are {ADJH} is {CONDEMN}.", "Calling {G} {NOUNH} is {CONDEMN}.",
        "{CRITIC} said {G} are {ADJH} and {CONSEQ}.", "{CRITIC} keeps saying {G} are {ADJH}, and I'm done arguing.",
        "When politicians call {G} {NOUNH}, violence follows.", "Comments saying {G} deserve to die are {CONDEMN}.",
        "Threats against {G} are {CONDEMN}.", "Wishing death on {G} is {CONDEMN}.", "{HATING} {G} is {CONDEMN}.",
        "If you think {G} are {ADJH}, unfollow me.", "Your hatred of {G} says more about you than about them.",
        "Treating {G} {TREAT} is {CONDEMN}.", "Nobody gets to call {G} {NOUNH} on my page.", "We report every post calling {G} {NOUNH}.",
        "Don't tell me {G} are {ADJH}, that's just prejudice.", "People keep posting that {G} are {ADJH}, and it's {CONDEMN}.",
        "The idea that {G} are {ADJH} is a lie.", "Claims that {G} are {ADJH} have been debunked again and again.",
        "Whoever wrote that {G} should be {KILLPP} has been reported.", "Spreading lies that {G} are {ADJH} has real consequences.",
        "He called {G} {NOUNH} on live TV and {CONSEQ}.", "It's {CONDEMN} to suggest {G} are {ADJH}.", "Stop saying {G} should be {KILLPP}.",
        "Talking about {G} as if they were {NOUNH} is {CONDEMN}.", "I can't stand people who say {G} are {ADJH}.",
        "I {HATE1} it when people call {G} {NOUNH}.", "Racists love to claim {G} are {ADJH}. They're wrong.",
    ];

    private static readonly string[] EnNegated =
    [
        "{G} are never {ADJH}.", "{G} are in no way {ADJH}.", "No {GS} deserves to be {KILLPP}.", "No {GS} deserves to be treated {TREAT}.",
        "I don't think {G} are {ADJH} at all.", "I have never thought that {G} are {ADJH}.", "I will never {HATE1} {G}.", "Nobody here {HATES} {G}.",
        "{G} do not deserve to be {KILLPP}.", "{G} shouldn't have to fear for their lives.", "{G} are not a threat to anyone.",
        "I refuse to believe {G} are {ADJH}.", "There is nothing wrong with {G}.", "I don't {HATE1} {G}, I never have.", "{G} aren't {NOUNH}.",
        "None of the {G} I know are {ADJH}.", "Not a single {GS} I've met was {ADJHS}.", "{G} don't {DISGUST}, bigots do.",
        "I would never want {G} to suffer.", "No one should ever {KILL} a {GS}.", "I'm not saying {G} are {ADJH}, because they aren't.",
    ];

    private static readonly string[] EnIdentityPlain =
    [
        "I admire {G}.", "So proud of the {G} in my family.", "{G} make this country better.", "I'm glad to have {G} as friends.",
        "We should celebrate {G}.", "{G} deserve respect.", "{G} are as {POS} as anyone.", "Thank you to all the {G} who came tonight.",
        "{G} have every right to be here.", "I stand with {G} today and every day.", "{G} are welcome in this house.", "I really like {G}.",
        "I'm meeting some {G} from work tonight.", "Are there many {G} in your town?", "The report counts how many {G} live in the city.",
        "My doctor is a {GS}.", "I grew up with {G}.", "We are {G} and we love hiking.", "As a {GS}, I found the film moving.",
        "Lots of {G} came to the open day.", "The charity supports {G} with housing.", "My favourite author is a {GS}.",
        "{G} should be able to live safely.", "{G} are just people like everyone else.", "Being a {GS} is nothing to be ashamed of.",
        "Our team has {N} {G} and we're proud of it.", "Can {G} join the club? Of course!", "I'm a {GS} and I'm proud.",
    ];

    private static readonly string[] EnNonProtectedAbuse =
    [
        "You are {ADJH}.", "You {DISGUST}.", "I {HATE1} you.", "You're nothing but {NOUNH}.", "Shut up, you {ADJHS} {INDN}.",
        "{PERSON} is {ADJH}.", "{PERSON} {DISGUST}.", "I {HATE1} {PERSON}.", "{PERSON} is a total {INDN}.", "I can't stand {PERSON}.",
        "You are such a {INDN}.", "Honestly, you're {ADJHS}.", "Go away, you {ADJHS} {INDN}.", "You people at this company are {ADJH}.",
        "{NP2} are {ADJH}.", "I {HATE1} {NP2}.", "{NP2} {DISGUST}.", "{NP2} are nothing but {NOUNH}.", "All {NP2} are {ADJH}.",
        "{NP} are {NOUNH}.", "I think {NP} are {ADJH}.", "Why are {NP} always so {ADJHS}?", "{NP2} should be banned from this park.",
        "{THING} is {ADJHS}.", "I {HATE1} {THING}.", "{THING} {DISGUST}.", "{THING} is trash.", "{THING} is a disgrace.", "I can't stand {THING}.",
        "{THING} is the worst thing ever.", "Nothing is worse than {THING}.", "{THING} is a plague on my life.",
    ];

    private static readonly string[] EnThreatShapedHarmless =
    [
        "See you all {WHEN}!", "I'll see you all at {EVENT} {WHEN}.", "Can't wait to see you all {WHEN}.", "I'm coming for you all {FRIENDLY}.",
        "We're coming to get you {WHEN}, {FRIENDLY}.", "I'll find you at {EVENT}, save me a seat.", "I'm going to call you all {WHEN}.",
        "Watch out, I'm going to {GAMEWIN} {WHEN}.", "You're all invited to {EVENT} {WHEN}.", "I'll be waiting for you at {EVENT}.",
        "Everyone meet at {EVENT} {WHEN}, bring a friend.", "We will get you home safe {WHEN}.", "I'm going to surprise you all {WHEN}.",
        "Get ready, we're coming for the trophy {WHEN}.", "You'll never see it coming: the best party of the year!",
    ];

    private static readonly Dictionary<string, string[]> ItalianContrastLists = new()
    {
        ["PERSONA"] = ["il mio capo", "l'arbitro", "il mio ex", "il mio vicino", "quel cameriere", "mia cugina", "il proprietario di casa", "l'allenatore", "il mio prof"],
        ["COSA"] = ["questo tempo", "il traffico di stamattina", "quel film", "il nuovo album", "questo telefono", "la burocrazia", "il lunedì", "questa dieta", "la coda alla posta"],
        ["NP2"] = ["le zanzare#f", "i piccioni#m", "i truffatori#m", "i troll#m", "i bulli#m", "gli spammer#m", "i furbetti del cartellino#m", "i portoghesi sul bus#m"],
        ["CHI"] = ["Mio zio", "Un tizio sul bus", "Un commentatore", "Quel politico", "Un mio collega", "Il vicino"],
        ["NEUTRALVP"] =
        [
            "vivono in tutte le regioni", "festeggiano le loro feste in modi diversi", "fanno ogni tipo di lavoro", "sono stati contati|sono state contate nel censimento",
            "hanno un centro culturale in questo quartiere", "votano alle elezioni", "gestiscono diversi negozi in questa via", "parlano molte lingue",
            "vivono qui da generazioni", "erano al telegiornale oggi", "organizzano una festa il mese prossimo", "sono al centro di un nuovo studio",
        ],
        ["EVENTO"] = ["la festa", "la partita", "il matrimonio", "l'allenamento", "la cena", "il concerto", "la rimpatriata"],
    };

    private static readonly string[] ItCounterReference =
    [
        "Smettetela di chiamare {G} {NOUNH}.", "Chi chiama {G} {NOUNH} dovrebbe vergognarsi.", "Chi dice che {G} sono {ADJH} è un razzista.",
        "Sono stufo di sentire dire che {G} sono {ADJH}.", "Dire che {G} sono {ADJH} è {CONDEMN}.", "Chiamare {G} {NOUNH} è {CONDEMN}.",
        "{CHI} ha detto che {G} sono {ADJH} ed è stato denunciato.", "Augurare la morte a {G} è {CONDEMN}.", "Le minacce contro {G} sono {CONDEMN}.",
        "Se pensi che {G} siano {ADJH}, smetti di seguirmi.", "Segnaliamo ogni post che chiama {G} {NOUNH}.", "L'idea che {G} siano {ADJH} è una bugia.",
    ];

    private static readonly string[] ItNegated =
    [
        "{G} non sono mai {ADJH}.", "Non è giusto trattare {G} come {NOUNH}.", "Non penso affatto che {G} siano {ADJH}.", "Non odierò mai {G}.",
        "{G} non meritano di essere {KILLPP}.", "{G} non sono una minaccia per nessuno.", "Non c'è niente di sbagliato in {G}.", "Nessuno qui odia {G}.",
    ];

    private static readonly string[] ItIdentityPlain =
    [
        "Ammiro {G}.", "{G} rendono questo paese migliore.", "Sono felice di avere {G} come amici.", "{G} meritano rispetto.",
        "Grazie a {G} che sono venuti stasera.", "{G} hanno tutto il diritto di stare qui.", "Sono cresciuto con {G}.", "Il mio medico è {GS}.",
        "{G} sono persone come tutti gli altri.", "Ci sono molti {G} nella tua città?", "Sono {GS} e ne sono fiero.",
    ];

    private static readonly string[] ItNonProtectedAbuse =
    [
        "Sei {ADJHS}.", "Mi fai schifo.", "Ti odio.", "Non sei altro che {INSULT}.", "{PERSONA} è {INSULT}.", "{PERSONA} mi fa schifo.",
        "Odio {PERSONA}.", "{NP2} sono {ADJH}.", "Odio {NP2}.", "{NP2} mi fanno schifo.", "{COSA} mi fa schifo.", "Odio {COSA}.", "{COSA} è una piaga.",
        "Non sopporto {COSA}.",
    ];

    private static readonly string[] ItThreatShapedHarmless =
    [
        "Ci vediamo tutti {WHEN}!", "Vi vengo a prendere {WHEN} per {EVENTO}.", "Non vedo l'ora di vedervi tutti a {EVENTO}.", "Ti chiamo {WHEN}.",
        "Vi aspetto tutti a {EVENTO} {WHEN}.", "Domani vi distruggo a briscola!", "Ti trovo a {EVENTO}, tienimi un posto.",
    ];

    private static readonly string[] EnIdentityNeutral =
    [
        "{G} {NEUTRALVP}.", "Many {G} {NEUTRALVP}.", "Some {G} {NEUTRALVP}.", "In my town, {G} {NEUTRALVP}.", "Did you know that {G} {NEUTRALVP}?",
        "The article says {G} {NEUTRALVP}.",
    ];

    private static IEnumerable<LabelledText> EnglishContrasts(Random random, IReadOnlyDictionary<string, string[]> lists)
    {
        var all = new Dictionary<string, string[]>(lists);
        foreach (var (k, v) in EnglishContrastLists) all[k] = v;
        var x = new TemplateExpander(random, all);
        foreach (var r in Emit(x, EnCounterReference, 20, None, "en")) yield return r;
        foreach (var r in Emit(x, EnNegated, 20, None, "en")) yield return r;
        foreach (var r in Emit(x, EnIdentityPlain, 20, None, "en")) yield return r;
        foreach (var r in Emit(x, EnNonProtectedAbuse, 20, None, "en")) yield return r;
        foreach (var r in Emit(x, EnThreatShapedHarmless, 15, None, "en")) yield return r;
        foreach (var r in Emit(x, EnIdentityNeutral, 20, None, "en")) yield return r;
    }

    private static readonly string[] ItIdentityNeutral =
    [
        "{G} {NEUTRALVP}.", "Oggi ho letto che {G} {NEUTRALVP}.", "Nella mia città {G} {NEUTRALVP}.", "Sapevi che {G} {NEUTRALVP}?", "L'articolo dice che {G} {NEUTRALVP}.",
    ];

    private static IEnumerable<LabelledText> ItalianContrasts(Random random, IReadOnlyDictionary<string, string[]> lists)
    {
        var all = new Dictionary<string, string[]>(lists);
        foreach (var (k, v) in ItalianContrastLists) all[k] = v;
        var x = new TemplateExpander(random, all);
        foreach (var r in Emit(x, ItCounterReference, 15, None, "it")) yield return r;
        foreach (var r in Emit(x, ItNegated, 15, None, "it")) yield return r;
        foreach (var r in Emit(x, ItIdentityPlain, 15, None, "it")) yield return r;
        foreach (var r in Emit(x, ItNonProtectedAbuse, 15, None, "it")) yield return r;
        foreach (var r in Emit(x, ItThreatShapedHarmless, 10, None, "it")) yield return r;
        foreach (var r in Emit(x, ItIdentityNeutral, 15, None, "it")) yield return r;
    }
}
