namespace Bulwark.Core.Signals.Classifiers.Training;

// Synthetic English training sentences, written for Bulwark (not taken from any dataset). The hateful and violent wording is
// deliberate: a classifier has to see what it must catch, beside contrasts that share the words but not the meaning.
internal static partial class SyntheticCorpus
{
    private static readonly Dictionary<string, string[]> EnglishLists = new()
    {
        ["G"] =
        [
            "women", "gay people", "gays", "lesbians", "trans people", "transgender people", "black people", "Muslims", "Jews",
            "immigrants", "migrants", "refugees", "disabled people", "Christians", "Asians", "Chinese people", "Arabs", "Mexicans",
            "Africans", "Roma", "Hindus", "Sikhs", "foreigners", "bisexual people", "Latinos", "Pakistanis", "Somalis", "asylum seekers",
        ],
        ["GS"] =
        [
            "woman", "gay man", "lesbian", "trans person", "black person", "Muslim", "Jew", "immigrant", "refugee", "disabled person",
            "Christian", "Arab", "Mexican", "African", "Hindu", "foreigner", "migrant", "trans woman", "black guy",
        ],
        ["NP"] =
        [
            "lawyers", "politicians", "bankers", "cyclists", "referees", "landlords", "tourists", "journalists", "vegans", "gamers",
            "dentists", "plumbers", "influencers", "accountants", "estate agents", "football fans", "hipsters", "CEOs", "programmers",
            "critics", "tax collectors", "mimes", "clowns", "golfers", "drivers in this town", "Chelsea fans", "telemarketers",
        ],
        ["OBJ"] =
        [
            "this movie", "this song", "Monday morning", "the traffic", "pineapple pizza", "my laptop", "the weather", "homework",
            "this app", "the new update", "cold coffee", "reality TV", "spam email", "this game", "my alarm clock", "the bus service",
            "this cheese", "jazz", "the printer", "this hotel",
        ],
        ["IND"] = ["you", "him", "her", "my neighbour", "my boss", "that guy", "your brother", "my ex", "the landlord", "this idiot"],
        ["ADJH"] =
        [
            "disgusting", "filthy", "vermin", "parasites", "animals", "subhuman", "a plague", "a disease", "worthless", "inferior",
            "scum", "trash", "rats", "savages", "cockroaches", "pigs", "dirty", "stupid", "criminals", "a cancer on society",
            "lesser beings", "pathetic", "evil", "repulsive", "primitive", "garbage", "a waste of space", "degenerates", "freaks",
        ],
        ["ADJHS"] = ["disgusting", "filthy", "worthless", "pathetic", "repulsive", "garbage", "vile", "the worst", "revolting", "awful"],
        ["NOUNH"] = ["vermin", "animals", "parasites", "rats", "savages", "cockroaches", "scum", "trash", "a disease", "a plague", "freaks"],
        ["INSULT"] = ["an idiot", "a moron", "a clown", "a loser", "a jerk", "a disgrace", "a pathetic little man", "useless", "a joke", "scum", "a total creep"],
        ["POS"] =
        [
            "wonderful", "brilliant", "kind", "talented", "hardworking", "welcome here", "valued members of our community", "smart",
            "beautiful", "strong", "so generous", "great neighbours", "amazing friends", "an asset to this country",
        ],
        ["POSN"] = ["human", "real people", "equal to us", "welcome here", "one of us", "worth anything", "normal"],
        ["LIKE"] = ["respect", "trust", "like", "want to be around", "see as equals", "accept", "tolerate"],
        ["HATEV"] = ["hate", "despise", "loathe", "can't stand", "detest", "am disgusted by", "have nothing but contempt for"],
        ["NPS"] = ["lawyer", "banker", "cyclist", "referee", "landlord", "tourist", "journalist", "vegan", "gamer", "plumber", "influencer", "politician", "car dealer", "estate agent"],
        ["FILLER"] = ["Honestly,", "I swear", "Seriously,", "Let me be clear:", "Just so you know,", "To be honest,", "Mark my words:", "", "", "", ""],
        ["OBJVERB"] = ["thrown away", "destroyed", "burned", "banned", "scrapped", "dumped in a skip", "recycled", "shut down", "taken off the market"],
        ["PROBLEM"] = ["Poverty", "This nonsense", "Homelessness", "Littering", "Corruption", "Tax evasion"],
        ["DISGUST"] = ["disgust me", "make me sick", "sicken me", "repulse me", "make my skin crawl"],
        ["RIGHT"] = ["vote", "work here", "raise children", "live in our neighbourhood", "hold office", "marry", "teach our kids", "own property"],
        ["KILL"] =
        [
            "kill", "shoot", "stab", "murder", "slaughter", "behead", "hang", "burn", "butcher", "gas", "execute", "gun down",
            "blow up", "torture", "beat to death", "run over", "wipe out", "exterminate", "lynch", "massacre", "strangle", "hurt",
        ],
        ["KILLPP"] =
        [
            "killed", "shot", "stabbed", "murdered", "slaughtered", "beheaded", "hanged", "burned alive", "butchered", "gassed",
            "executed", "gunned down", "tortured", "wiped out", "exterminated", "lynched", "massacred", "put down", "strung up",
        ],
        ["KILLED"] = ["killed", "shot", "stabbed", "murdered", "attacked", "injured"],
        ["WHEN"] = ["tomorrow", "tonight", "this weekend", "at the rally", "on Friday", "next week", "soon", "when they least expect it", "", "", "first thing Monday"],
        ["PLACE"] = ["the mosque", "the synagogue", "the school", "the mall", "the pride parade", "the church", "the refugee centre", "the concert", "the office", "the temple", "campus"],
        ["WEAPON"] = ["my rifle", "a gun", "a knife", "a machete", "a bomb", "gasoline", "my AR-15", "a truck", "my shotgun", "a pipe bomb"],
        ["CONDEMN"] = ["disgusting", "hateful", "unacceptable", "bigoted", "so wrong", "racist", "not okay", "vile", "never acceptable"],
        ["N"] = ["two", "three", "five", "seven", "twelve", "dozens of", "at least four"],
        ["POSACT"] = ["hug", "visit", "help", "call", "thank", "cook dinner for", "support", "celebrate with", "welcome", "teach"],
        ["MISHAP"] = ["missed the bus again", "locked myself out", "burned the toast", "forgot my keys", "deleted my essay", "spilled coffee everywhere"],
        ["GOODNEWS"] = ["I passed the exam", "we won the match", "she said yes", "I got the job", "that concert was incredible"],
        ["GROUP"] =
        [
            "the Islamic State", "ISIS", "IS", "Daesh", "the Caliphate", "al-Qaeda", "al-Shabaab", "Boko Haram", "Atomwaffen",
            "the Base", "the Khilafah", "ISIL", "the Dawlah",
        ],
        ["PERP"] =
        [
            "the Christchurch shooter", "Tarrant", "Breivik", "Dylann Roof", "bin Laden", "al-Baghdadi", "the Bataclan attackers",
            "the Manchester bomber", "the El Paso shooter", "the Halle shooter", "the Buffalo shooter", "the Nice attacker",
            "the brothers who attacked the magazine", "Zarqawi", "Jihadi John",
        ],
        ["ATTACK"] =
        [
            "the Christchurch attack", "9/11", "the Bataclan attack", "the Manchester bombing", "the Nice truck attack",
            "the Utoya massacre", "the Charleston church shooting", "the Brussels bombings", "the Westgate mall attack", "the Paris operation",
        ],
        ["BENIGN"] = ["the king", "rock and roll", "our club", "the republic", "the queen", "pizza", "the weekend", "the Beatles"],
        ["HEROES"] = ["The nurses at the hospital", "The firefighters who saved the family", "My grandad", "Our teachers", "The volunteers at the food bank", "The lifeguard who saved that boy"],
        ["SLURP"] = ["faggots", "trannies", "kikes", "niggers", "retards", "towelheads", "wetbacks", "chinks", "spics", "ragheads", "dykes", "coons"],
        ["SLURS"] = ["faggot", "tranny", "kike", "nigger", "retard", "towelhead", "wetback", "chink", "spic", "raghead", "dyke", "coon"],
    };

    private static readonly string[] EnThreatDirect =
    [
        "I'm going to {KILL} the next {GS} I see {WHEN}.", "I will {KILL} every last one of those {G}.", "We will {KILL} all {G} {WHEN}, mark my words.",
        "Going to {PLACE} {WHEN} with {WEAPON} to {KILL} as many {G} as I can.", "I want to {KILL} {IND}.", "I want to {KILL} some {G} {WHEN}.",
        "I'll shoot up {PLACE} {WHEN}.", "Bringing {WEAPON} to {PLACE} {WHEN}. You've been warned.", "I swear I will {KILL} {IND} {WHEN}.",
        "You're dead {WHEN}, I know where you live.", "I'm gonna put a bullet in every {GS} in this town.", "Watch me {KILL} those {G} {WHEN}.",
        "Let's go {KILL} some {G} {WHEN}.", "Everyone grab a weapon and {KILL} the {G} {WHEN}.", "Brothers, rise up and {KILL} the {G} wherever you find them.",
        "My plan is to {KILL} {G} at {PLACE} {WHEN}.", "I'm going to {KILL} {IND} {WHEN}.", "I will {KILL} {NP} {WHEN}.", "I'm going to {KILL} a {GS} {WHEN}.",
        "We're coming for you {G}, and we will {KILL} you all.", "{FILLER} I will {KILL} every {GS} I meet.", "{FILLER} I'm really going to {KILL} you {WHEN}.", "I can't wait to watch {G} die.", "{G} will be {KILLPP}, I will see to it personally.", "Wipe {G} off the face of the earth.", "I will make {G} suffer and then {KILL} them.", "Tomorrow I {KILL} {IND}, I'm done talking.",
        "I really want to {KILL} {NP}.", "Someone is going to get {KILLPP} at {PLACE} {WHEN}, and it will be me who does it.", "I'll {KILL} you and your family.",
        "I'm going to end the lives of all {G}.", "I'll make sure no {GS} leaves {PLACE} alive {WHEN}.", "Count the days, {G}. We will {KILL} you.",
    ];

    private static readonly string[] EnThreatNormative =
    [
        "{G} should all be {KILLPP}.", "{G} deserve to be {KILLPP}.", "{G} deserve to die.", "All {G} must die.", "Death to {G}.", "Kill all {G}.",
        "Someone should {KILL} {IND}.", "Somebody needs to {KILL} those {G}.", "{G} need to be {KILLPP}, every single one of them.",
        "I hope all {G} get {KILLPP}.", "The world would be better if all {G} were {KILLPP}.", "Every {GS} should be {KILLPP}.",
        "{NP} should all be {KILLPP}.", "{IND} deserves to be {KILLPP}.", "It's time to {KILL} the {G}.", "{G} should be {KILLPP} on sight.",
        "The {G} have to be {KILLPP}, no exceptions.", "{G} must be {KILLPP} before it's too late.", "Line the {G} up and {KILL} them.",
        "The only good {GS} is a dead {GS}.", "We need another attack on {PLACE} to {KILL} more {G}.", "Hang every {GS} from the nearest tree.",
    ];

    private static readonly string[] EnThreatContrast =
    [
        "This {OBJ} is killing me.", "I'm dying to try {OBJ}.", "We killed it at the gig last night!", "She absolutely slayed that performance.",
        "I could murder a burger right now.", "My phone is dead again.", "Shoot me a message when you're free.", "I shot some great photos at {PLACE} today.",
        "That comedian killed me, I was crying with laughter.", "I'm going to crush this exam {WHEN}.", "We're going to destroy them in the final {WHEN}.",
        "I'll kill the boss on level five {WHEN}.", "Bring a knife to cut the cake.", "Let's shoot the video {WHEN}.", "My legs are dead after that run.",
        "I'm going to blow up the balloons for the party {WHEN}.", "Police say a man {KILLED} {N} people at {PLACE} yesterday.",
        "{N} {G} were {KILLPP} in the attack, officials said.", "The suspect who threatened to {KILL} {G} was arrested {WHEN}.",
        "A court sentenced the gunman who {KILLED} {N} worshippers at {PLACE}.", "Reports say the bombing killed {N} people.",
        "Threatening to {KILL} {G} is never acceptable.", "Calls to {KILL} {G} must be condemned by everyone.", "Nobody should {KILL} {G}.",
        "I would never {KILL} anyone.", "We must not let {G} be {KILLPP}.", "No one deserves to be {KILLPP} for who they are.",
        "I don't want anyone to {KILL} {G}.", "We should protect {G}, not {KILL} them.", "I'm going to {POSACT} {IND} {WHEN}.",
        "I'm going to {POSACT} the {G} at {PLACE} {WHEN}.", "We will {POSACT} every {GS} who comes to {PLACE}.", "I want to {POSACT} {NP} {WHEN}.",
        "The film is about a man who wants to {KILL} his boss.", "In the novel the villain threatens to {KILL} the king.",
        "Protect {G} from those who want to {KILL} them.", "We have to make sure no {GS} is ever {KILLPP} again.", "I will never hurt {G}.",
        "The hunters shot two deer this season.", "{OBJ} should be {OBJVERB}.", "{PROBLEM} has to be stopped.", "I'm going to kill time at the cafe {WHEN}.", "Let's blow up this post and make it viral!",
    ];

    private static readonly string[] EnHate =
    [
        "I {HATEV} {G}.", "{G} are {ADJH}.", "All {G} are {ADJH}.", "{G} are nothing but {NOUNH}.", "Typical {GS} behaviour, {ADJHS}.",
        "{G} {DISGUST}.", "{G} should not be allowed to {RIGHT}.", "There are too many {G} in this country.", "Send all {G} back where they came from.",
        "I think {G} are {ADJH}.", "Honestly, {G} are {ADJH}.", "In my view {G} are {ADJH}.", "Just saying, {G} are {ADJH}.",
        "Why are {G} always so {ADJHS}?", "Why can't {G} just disappear?", "Is it just me or are {G} {ADJH}?", "I don't {LIKE} {G}.",
        "{G} are not {POSN}.", "{G} will never be {POSN}.", "No {GS} is ever {POS}.", "{G} can never be trusted.",
        "{G} are {ADJH}, and I'm not afraid to say it.", "I met some {G} yesterday. They are {ADJH}.", "You know what {G} are? {ADJH}.",
        "{G} are fucking {ADJH}.", "Fuck all {G}.", "Shut up, you {ADJHS} {GS}.", "{G} are like a virus spreading through our cities.",
        "We need to keep {G} out of our neighbourhood.", "{G} belong in a zoo.", "{G} bring nothing but crime.", "{SLURP} are {ADJH}.",
        "Typical {SLURS}.", "Shut up you {SLURS}.", "No {SLURP} allowed here.", "Too many {SLURP} in this town.", "You are just a {SLURS} to me.",
        "Being a {GS} is a mental illness.", "A {GS} as boss? Never, they are {ADJH}.", "{G} are a burden on society.", "Never trust a {GS}.",
        "{G} ruin everything they touch.", "Any {GS} who disagrees is {ADJHS}.", "I'd rather die than live next to {G}.",
    ];

    private static readonly string[] EnNeutral =
    [
        "I'm a {GS} and I live in Leeds.", "Many {G} live on my street.", "We talked about {G} in class today.", "{G} are a large part of the population here.",
        "My best friend is a {GS}.", "There was a documentary about {G} on TV last night.", "{G} are {POS}.", "I love {G}.", "We need more {G} in leadership.",
        "I'm proud to stand with {G}.", "Having {G} as neighbours is great.", "Our city is better because of {G}.", "My new colleague is a {GS}.",
        "The museum has an exhibition on the history of {G}.", "{G} deserve the same rights as everyone.", "So many {G} came to the festival.",
        "Saying \"{QHATE}\" is {CONDEMN}.", "\"{QHATE}\" - this kind of comment is {CONDEMN}.", "I can't believe someone wrote '{QHATE}' here.",
        "If you say things like \"{QHATE}\", you need help.", "Posts like \"{QHATE}\" get reported and removed.", "Stop saying {G} are {ADJH}.",
        "It's not okay to call {G} {NOUNH}.", "People who think {G} are {ADJH} are the real problem.", "The hatred towards {G} has to stop.",
        "Calling someone a {SLURS} is never acceptable.", "Why do people think it's fine to say {G} are {ADJH}?", "I'm tired of seeing {G} called {NOUNH}.",
        "Someone called me a {SLURS} today and I reported them.", "\"{QTHREAT}\" is a threat and it was reported to the police.",
        "Whoever wrote '{QTHREAT}' should be banned.", "Comments like \"{QTHREAT}\" have no place here.", "We must call out anyone who says {G} are {ADJH}.",
        "I don't {HATEV} {G}.", "{G} are not {NOUNH}, they're people.", "Nobody should say {G} are {ADJH}.", "No one should make {G} suffer.",
        "We will never let {G} be treated badly.", "It's false that {G} are {ADJH}.", "I would never say {G} are {ADJH}.", "{G} are not {ADJH}.",
        "{G} bring so much joy to this town.", "My flatmates are {G}.", "Do you know any {G} who play chess?", "Half of my team at work are {G}.",
        "{NP} are {ADJH}.", "I {HATEV} {NP}.", "{NP} {DISGUST}.", "{OBJ} is {ADJHS}.", "{OBJ} {DISGUST}.", "I {HATEV} {OBJ}.", "You are {INSULT}.",
        "He is {INSULT}.", "She is {INSULT}.", "My boss is {INSULT}.", "Shut up, you are {INSULT}.", "{NP} are fucking {ADJH}.",
        "Fuck, I {MISHAP}.", "Holy shit, {GOODNEWS}!", "What the fuck was that goal, amazing.", "I'm such a fucking idiot, I {MISHAP}.",
        "Damn, this pizza is good.", "That was a shitty day but tomorrow will be better.", "Bloody hell, {OBJ} again.", "Shit, {GOODNEWS}, I can't believe it!",
        "The Dutch built the dyke to hold back the sea.", "Pass me the hoe, I need to weed the garden.", "The pub serves faggots and peas on Thursdays.",
        "As a queer woman I love this community.", "We're here, we're queer, get used to it!", "The word 'queer' was reclaimed by the community.",
    ];

    private static readonly string[] EnGlorification =
    [
        "{PERP} is a hero.", "{PERP} is a true hero, may his name live forever.", "Saint {PERP}, pray for us.", "{PERP} did nothing wrong.",
        "{PERP} showed us the way, who will be next?", "We need more men like {PERP}.", "Respect to {PERP}, a real warrior.", "{PERP} is my idol.",
        "{ATTACK} was a glorious day.", "{ATTACK} was beautiful, may there be many more.", "Never forget the heroes of {ATTACK}.", "{ATTACK} was justice.",
        "Celebrating the anniversary of {ATTACK}, what a blessed operation.", "Long live {GROUP}!", "{GROUP} will remain and expand.",
        "I pledge allegiance to {GROUP}.", "Join {GROUP}, the only path to glory.", "The soldiers of {GROUP} are lions.",
        "Victory to {GROUP}, its enemies will be crushed.", "May Allah grant victory to the soldiers of {GROUP}.", "Our brothers in {GROUP} are true heroes.",
        "Hijrah to the land of {GROUP} is a duty for every believer.", "The lions of {GROUP} gave the crusaders what they deserved.",
        "May Allah accept our brother as a shaheed, he died fighting for {GROUP}.", "{GROUP} is the only true state, baqiyah!",
        "Proud supporter of {GROUP} until the end.", "The mujahideen of {GROUP} are the best of men.", "The blessed attackers of {ATTACK} are martyrs.",
        "{PERP}'s manifesto is required reading, he was right.", "Do what {PERP} did.", "{PERP} is a saint, the score will be beaten.",
        "Glory to the martyrs of {GROUP}.", "{GROUP} fighters are heroes defending the ummah.",
    ];

    private static readonly string[] EnGlorificationContrast =
    [
        "{GROUP} claimed the attack, according to the agency.", "{PERP} was sentenced to life in prison.", "Analysts say {GROUP} lost most of its territory.",
        "Ten years after {ATTACK}, the city remembers its victims.", "A new report examines how {GROUP} recruits online.", "Officials confirmed {PERP} acted alone.",
        "{PERP} is a murderer, not a hero.", "Calling {PERP} a hero is sick.", "{ATTACK} was a horrific crime.", "There is nothing glorious about {GROUP}.",
        "{GROUP} are butchers who kill innocent Muslims too.", "My thoughts are with the families of the victims of {ATTACK}.",
        "Don't share the video of {ATTACK}, report it.", "{HEROES} are true heroes.", "{HEROES} is my hero.", "Long live {BENIGN}!",
        "The fans were lions tonight!", "May Allah bless you and your family.", "Eid Mubarak to all my friends!", "Going to the mosque for Friday prayers.",
        "Alhamdulillah, the exam went well.", "Ramadan kareem everyone.", "Inshallah we will meet next week.", "The court heard how {GROUP} groomed teenagers online.",
        "Survivors of {ATTACK} spoke at the memorial.", "The trial of the {ATTACK} suspects starts today.", "Former {GROUP} members describe life under its rule.",
        "Platforms removed the {ATTACK} video within hours.", "Why do young people join {GROUP}? A researcher explains.", "{PERP} wanted fame; don't give it to him.",
    ];

    // Since 1.2.0: more violence framed as what ought to happen or what people deserve, written from the category "threats as
    // normative statements" when threat_norm_h sat exactly at its floor. Emitted last, so every earlier draw is unchanged.
    private static readonly string[] EnThreatNormativeOught =
    [
        "{G} ought to be {KILLPP}.", "It would be right to {KILL} {G}.", "Somebody has to {KILL} {IND}.", "{G} have no right to live.",
        "{G} don't deserve to live.", "It's only fair that {G} get {KILLPP}.", "{IND} should be {KILLPP} for this.",
        "Every single {GS} deserves a bullet.", "The law should let us {KILL} {G}.", "{G} had it coming, they should all be {KILLPP}.",
    ];

    private static IEnumerable<LabelledText> English(Random random)
    {
        var x = new TemplateExpander(random, EnglishLists);
        var quotedHate = x.ExpandAll(EnHate.Where(t => !t.Contains('?')), 8).Select(s => s.TrimEnd('.')).ToArray();
        var quotedThreat = x.ExpandAll(EnThreatDirect.Concat(EnThreatNormative), 6).Select(s => s.TrimEnd('.')).ToArray();
        var lists = new Dictionary<string, string[]>(EnglishLists) { ["QHATE"] = quotedHate, ["QTHREAT"] = quotedThreat };
        x = new TemplateExpander(random, lists);
        // Twins: every hateful sentence aimed at a non-protected group or a person is abuse, not hate.
        var twins = EnHate.Where(t => (t.Contains("{G}") || t.Contains("{GS}")) && !t.Contains("{SLUR"))
            .Select(t => t.Replace("{G}", "{NP}").Replace("{GS}", "{NPS}")).ToArray();
        foreach (var r in Emit(x, twins, 20, None, "en")) yield return r;
        foreach (var r in Emit(x, EnThreatDirect, 45, Threat, "en")) yield return r;
        foreach (var r in Emit(x, EnThreatNormative, 45, Threat, "en")) yield return r;
        foreach (var r in Emit(x, EnThreatContrast, 30, None, "en")) yield return r;
        foreach (var r in Emit(x, EnHate, 40, Hate, "en")) yield return r;
        foreach (var r in Emit(x, EnNeutral, 35, None, "en")) yield return r;
        foreach (var r in Emit(x, EnGlorification, 35, Glorification, "en")) yield return r;
        foreach (var r in Emit(x, EnGlorificationContrast, 25, None, "en")) yield return r;
        foreach (var r in EnglishContrasts(random, lists)) yield return r;
        foreach (var r in Emit(x, EnThreatNormativeOught, 30, Threat, "en")) yield return r;
    }
}
