namespace Bulwark.Core.Signals.Classifiers.Training;

// Synthetic Italian training sentences, written for Bulwark. "#f" marks a feminine group; "m|f" entries agree with it.
internal static partial class SyntheticCorpus
{
    private static readonly Dictionary<string, string[]> ItalianLists = new()
    {
        ["G"] =
        [
            "le donne#f", "i gay#m", "gli omosessuali#m", "le lesbiche#f", "le persone trans#f", "i neri#m", "i musulmani#m", "gli ebrei#m",
            "gli immigrati#m", "i migranti#m", "i rifugiati#m", "i disabili#m", "i rom#m", "gli zingari#m", "gli stranieri#m", "gli africani#m",
            "i cinesi#m", "gli arabi#m", "i cristiani#m", "i profughi#m", "gli extracomunitari#m", "i marocchini#m", "gli albanesi#m",
        ],
        ["GS"] = ["una donna#f", "un gay#m", "una lesbica#f", "una persona trans#f", "un nero#m", "un musulmano#m", "un ebreo#m", "un immigrato#m", "un rifugiato#m", "un disabile#m", "uno zingaro#m", "uno straniero#m"],
        ["NP"] =
        [
            "gli avvocati#m", "i politici#m", "i banchieri#m", "i ciclisti#m", "gli arbitri#m", "i turisti#m", "i giornalisti#m", "i vegani#m",
            "i tassisti#m", "gli influencer#m", "i tifosi della Juve#m", "gli interisti#m", "i commercialisti#m", "i piloti#m", "i dentisti#m", "i critici#m",
        ],
        ["OBJ"] = ["questo film", "il traffico", "il lunedì mattina", "la pizza con l'ananas", "il mio telefono", "questo caldo", "questa app", "l'ultimo aggiornamento", "il caffè freddo", "questa canzone"],
        ["IND"] = ["te", "lui", "lei", "il mio vicino", "il mio capo", "quel tizio", "tuo fratello", "la mia ex"],
        ["ADJH"] = ["schifosi|schifose", "parassiti", "feccia", "animali", "subumani|subumane", "una piaga", "un cancro", "inferiori", "spazzatura", "topi", "bestie", "sporchi|sporche", "criminali", "esseri inferiori", "luridi|luride", "vermi", "degenerati|degenerate", "una malattia"],
        ["ADJHS"] = ["schifoso|schifosa", "lurido|lurida", "inutile", "patetico|patetica", "ripugnante", "disgustoso|disgustosa"],
        ["NOUNH"] = ["parassiti", "animali", "bestie", "feccia", "topi", "vermi", "una piaga", "spazzatura"],
        ["INSULT"] = ["un idiota", "un cretino", "un pagliaccio", "uno sfigato", "un buffone", "inutile", "un coglione", "una vergogna"],
        ["POS"] = ["meravigliosi|meravigliose", "bravissimi|bravissime", "gentili", "intelligenti", "i benvenuti|le benvenute", "una risorsa", "persone splendide", "fantastici|fantastiche"],
        ["POSN"] = ["umani|umane", "persone vere", "uguali a noi", "i benvenuti|le benvenute", "come noi", "normali"],
        ["LIKE"] = ["rispetto", "sopporto", "tollero", "accetto", "voglio vicino", "considero persone"],
        ["HATEV"] = ["odio", "detesto", "disprezzo", "non sopporto", "schifo"],
        ["KILL"] = ["uccidere", "ammazzare", "sparare a", "accoltellare", "sgozzare", "bruciare", "impiccare", "massacrare", "sterminare", "far saltare in aria", "torturare", "decapitare", "fucilare", "pestare a sangue"],
        ["KILLPP"] = ["uccisi|uccise", "ammazzati|ammazzate", "impiccati|impiccate", "bruciati vivi|bruciate vive", "sterminati|sterminate", "massacrati|massacrate", "fucilati|fucilate", "sgozzati|sgozzate", "gasati|gasate", "eliminati|eliminate"],
        ["WHEN"] = ["domani", "stasera", "questo weekend", "al corteo", "venerdì", "la settimana prossima", "presto", "", ""],
        ["PLACE"] = ["la moschea", "la sinagoga", "la scuola", "il centro commerciale", "il pride", "la chiesa", "il centro d'accoglienza", "il concerto", "l'ufficio", "l'università"],
        ["WEAPON"] = ["il fucile", "una pistola", "un coltello", "un machete", "una bomba", "la benzina", "un furgone"],
        ["CONDEMN"] = ["vergognoso", "razzista", "inaccettabile", "odioso", "sbagliato", "schifoso", "da denunciare"],
        ["POSACT"] = ["abbracciare", "aiutare", "ringraziare", "chiamare", "invitare a cena", "sostenere", "accogliere", "festeggiare con"],
        ["GROUP"] = ["lo Stato Islamico", "l'ISIS", "il Califfato", "Daesh", "al-Qaeda", "al-Shabaab", "Boko Haram", "le Brigate"],
        ["PERP"] = ["l'attentatore di Christchurch", "Tarrant", "Breivik", "bin Laden", "al-Baghdadi", "gli attentatori del Bataclan", "Traini", "l'attentatore di Nizza"],
        ["ATTACK"] = ["l'attacco di Christchurch", "l'11 settembre", "l'attentato del Bataclan", "la strage di Nizza", "la strage di Utoya", "l'attentato di Bruxelles"],
        ["HEROES"] = ["Gli infermieri dell'ospedale", "I vigili del fuoco", "Mio nonno", "I volontari della Caritas", "Il bagnino che ha salvato il bambino"],
        ["GROUPDI"] = ["dello Stato Islamico", "dell'ISIS", "del Califfato", "di Daesh", "di al-Qaeda", "di al-Shabaab", "di Boko Haram"],
        ["ATTACKDI"] = ["dell'attacco di Christchurch", "dell'11 settembre", "dell'attentato del Bataclan", "della strage di Nizza", "della strage di Utoya", "dell'attentato di Bruxelles"],
        ["TUTTI"] = ["tutti|tutte"],
        ["BENIGN"] = ["il re", "il rock", "la Roma", "la repubblica", "la pizza", "l'Italia"],
    };

    private static readonly string[] ItThreat =
    [
        "Voglio {KILL} {G} {WHEN}.", "Domani vado a {PLACE} con {WEAPON} e li faccio fuori tutti.", "Giuro che vado ad {KILL} {IND} {WHEN}.",
        "Ti ammazzo {WHEN}, so dove abiti.", "Andrò a {KILL} il primo che vedo di {G}.", "Vi faremo {KILL} tutti, {G}.", "Prendo {WEAPON} e vado a {PLACE} {WHEN}.",
        "Vi verremo a prendere uno per uno, {G}.", "Voglio {KILL} {NP} {WHEN}.", "Ti brucio la casa con te dentro.", "{WHEN} faccio una strage a {PLACE}.",
        "{G} vanno {KILLPP} {TUTTI}.", "{G} devono essere {KILLPP}.", "{G} meritano di morire.", "Morte a {G}!", "Tutti {G} al muro.",
        "Bisogna {KILL} {G}, nessuno escluso.", "Qualcuno dovrebbe {KILL} {IND}.", "Spero che {G} vengano {KILLPP}.", "Il mondo sarebbe migliore con {G} {KILLPP}.",
        "Ammazziamoli tutti, {G}!", "Giuro che ammazzo il prossimo {GS} che incontro.", "Armatevi e andate ad {KILL} {G} {WHEN}.", "Ogni {GS} dovrebbe essere {KILLPP}.", "Forni per {G}.",
    ];

    private static readonly string[] ItHate =
    [
        "{HATEV} {G}.", "{G} sono {ADJH}.", "Tutti {G} sono {ADJH}.", "{G} non sono altro che {NOUNH}.", "{G} mi fanno schifo.", "{G} mi fanno vomitare.",
        "{G} non dovrebbero poter votare.", "Ci sono troppi stranieri in questo paese.", "Rimandiamo {G} a casa loro.", "Secondo me {G} sono {ADJH}.",
        "Sinceramente {G} sono {ADJH}.", "Perché {G} sono sempre così {ADJH}?", "Non {LIKE} {G}.", "{G} non sono {POSN}.", "{G} non saranno mai {POSN}.",
        "Di {G} non ci si può fidare.", "{G} sono una piaga per la società.", "Cazzo, {G} sono proprio {ADJH}.", "Fanculo {G}.", "Stai zitto, {GS} {ADJHS}.",
        "Non voglio {G} nel mio quartiere.", "{G} portano solo crimine.", "Essere {GS} è una malattia.", "Mai fidarsi di {GS}.", "{G} rovinano tutto.",
    ];

    private static readonly string[] ItNeutral =
    [
        "Sono {GS} e vivo a Bologna.", "Nel mio palazzo vivono molti {G}.", "Oggi a scuola abbiamo parlato di {G}.", "La mia migliore amica è {GS}.",
        "{G} sono {POS}.", "Amo {G}.", "Servono più {G} nei ruoli di guida.", "Sto dalla parte di {G}.", "La nostra città è più bella grazie a {G}.",
        "{G} meritano gli stessi diritti di tutti.", "Dire \"{QHATE}\" è {CONDEMN}.", "\"{QHATE}\": un commento così è {CONDEMN}.",
        "Non posso credere che qualcuno abbia scritto «{QHATE}».", "Commenti come «{QHATE}» vanno segnalati.", "Smettetela di dire che {G} sono {ADJH}.",
        "Non è giusto chiamare {G} {NOUNH}.", "Chi pensa che {G} siano {ADJH} è il vero problema.", "L'odio contro {G} deve finire.",
        "Scrivere «{QTHREAT}» è un reato, l'ho denunciato.", "Chi ha scritto \"{QTHREAT}\" va bannato.", "Non {HATEV} {G}.", "{G} non sono {NOUNH}, sono persone.",
        "Nessuno dovrebbe dire che {G} sono {ADJH}.", "Nessuno deve far soffrire {G}.", "Non è vero che {G} sono {ADJH}.", "Non lasceremo mai che {G} vengano {KILLPP}.",
        "Nessuno dovrebbe {KILL} {G}.", "Non farei mai del male a nessuno.", "{NP} sono {ADJH}.", "{HATEV} {NP}.", "{OBJ} mi fa schifo.", "{OBJ} è {ADJHS}.",
        "Sei {INSULT}.", "Il mio capo è {INSULT}.", "Cazzo, ho perso il treno di nuovo.", "Porca miseria, abbiamo vinto la partita!", "Che cazzo di gol, bellissimo!",
        "Questo caldo mi sta uccidendo.", "Muoio dalla voglia di vederti.", "Abbiamo spaccato al concerto ieri sera!", "Il mio telefono è morto di nuovo.",
        "Domani scatto qualche foto a {PLACE}.", "Voglio {POSACT} {IND} {WHEN}.", "Domani vado ad {POSACT} {G} a {PLACE}.", "Domani li distruggiamo in finale!",
        "La polizia ha arrestato l'uomo che aveva minacciato di {KILL} {G}.", "Secondo i giornali, l'attacco ha ucciso dodici persone.",
        "Minacciare di {KILL} {G} è un reato.", "I miei coinquilini sono {G}.", "Metà del mio ufficio sono {G}.", "Dobbiamo proteggere {G}, non fargli del male.",
    ];

    private static readonly string[] ItGlorification =
    [
        "{PERP} è un eroe.", "{PERP} è un vero eroe, onore a lui.", "San {PERP}, prega per noi.", "{PERP} ha fatto la cosa giusta.", "Servono più uomini come {PERP}.",
        "{ATTACK} è stato un giorno glorioso.", "{ATTACK} è stata giustizia.", "Viva {GROUP}!", "Giuro fedeltà a {GROUP}.", "Unisciti a {GROUP}, l'unica via verso la gloria.",
        "I soldati {GROUPDI} sono leoni.", "Che Allah dia la vittoria ai soldati {GROUPDI}.", "Onore ai martiri {GROUPDI}.", "{PERP} ci ha mostrato la strada, chi sarà il prossimo?",
        "Fate come {PERP}.", "I fratelli {GROUPDI} sono veri eroi.", "{GROUP} resterà e si espanderà.",
    ];

    private static readonly string[] ItGlorificationContrast =
    [
        "{GROUP} ha rivendicato l'attacco, secondo l'agenzia.", "{PERP} è stato condannato all'ergastolo.", "Dieci anni dopo {ATTACK}, la città ricorda le vittime.",
        "{PERP} è un assassino, non un eroe.", "Chiamare {PERP} un eroe è vergognoso.", "{ATTACK} è stato un crimine orribile.", "Non c'è niente di glorioso nella propaganda {GROUPDI}.",
        "{HEROES} sono veri eroi.", "Viva {BENIGN}!", "Che Allah benedica te e la tua famiglia.", "Buon Eid a tutti gli amici!", "Un'inchiesta racconta come {GROUP} recluta online.",
        "Non condividete il video {ATTACKDI}, segnalatelo.", "I sopravvissuti {ATTACKDI} hanno parlato alla commemorazione.",
    ];

    // Since 1.2.0, as EnThreatNormativeOught: violence framed as what ought to happen. Emitted last.
    private static readonly string[] ItThreatNormativeOught =
    [
        "{G} andrebbero {KILLPP} {TUTTI}.", "Sarebbe giusto {KILL} {G}.", "{G} non meritano di vivere.", "Qualcuno deve {KILL} {IND}.",
        "{G} se la sono cercata, vanno {KILLPP}.", "La legge dovrebbe permetterci di {KILL} {G}.",
    ];

    private static IEnumerable<LabelledText> Italian(Random random)
    {
        var x = new TemplateExpander(random, ItalianLists);
        var quotedHate = x.ExpandAll(ItHate.Where(t => !t.Contains('?')), 6).Select(s => s.TrimEnd('.')).ToArray();
        var quotedThreat = x.ExpandAll(ItThreat, 5).Select(s => s.TrimEnd('.', '!')).ToArray();
        var lists = new Dictionary<string, string[]>(ItalianLists) { ["QHATE"] = quotedHate, ["QTHREAT"] = quotedThreat };
        x = new TemplateExpander(random, lists);
        var twins = ItHate.Where(t => t.Contains("{G}")).Select(t => t.Replace("{G}", "{NP}")).ToArray();
        foreach (var r in Emit(x, twins, 15, None, "it")) yield return r;
        foreach (var r in Emit(x, ItThreat, 40, Threat, "it")) yield return r;
        foreach (var r in Emit(x, ItHate, 35, Hate, "it")) yield return r;
        foreach (var r in Emit(x, ItNeutral, 30, None, "it")) yield return r;
        foreach (var r in Emit(x, ItGlorification, 30, Glorification, "it")) yield return r;
        foreach (var r in Emit(x, ItGlorificationContrast, 20, None, "it")) yield return r;
        foreach (var r in ItalianContrasts(random, lists)) yield return r;
        foreach (var r in Emit(x, ItThreatNormativeOught, 20, Threat, "it")) yield return r;
    }
}
