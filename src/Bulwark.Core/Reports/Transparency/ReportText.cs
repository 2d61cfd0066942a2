namespace Bulwark.Core.Reports.Transparency;

/// <summary>The words of the HTML and PDF reports, in English and Italian.</summary>
public static class ReportText
{
    public static readonly IReadOnlyList<string> Languages = ["en", "it"];

    private static readonly Dictionary<string, (string En, string It)> Texts = new(StringComparer.Ordinal)
    {
        ["cger.title"] = ("Community Guidelines Enforcement Report", "Rapporto sull'applicazione delle linee guida della community"),
        ["tco.title"] = ("Terrorist content transparency report (Regulation (EU) 2021/784, Art. 7)", "Relazione di trasparenza sui contenuti terroristici (Regolamento (UE) 2021/784, art. 7)"),
        ["period"] = ("Period", "Periodo"),
        ["generated"] = ("Generated", "Generato"),
        ["summary"] = ("Summary", "Sintesi"),
        ["metric"] = ("Metric", "Indicatore"),
        ["value"] = ("Value", "Valore"),
        ["uploads"] = ("Content items uploaded", "Contenuti caricati"),
        ["video_uploads"] = ("Videos uploaded", "Video caricati"),
        ["content_removed"] = ("Content removed", "Contenuti rimossi"),
        ["videos_removed"] = ("Videos removed", "Video rimossi"),
        ["removed_share_of_uploads"] = ("Removed, share of uploads", "Rimossi, quota dei caricamenti"),
        ["removed_proactive"] = ("Removed proactively (before any report)", "Rimossi in modo proattivo (prima di qualsiasi segnalazione)"),
        ["removed_zero_views"] = ("Removed at zero views", "Rimossi a zero visualizzazioni"),
        ["removed_views_unknown"] = ("Removed, views not known", "Rimossi, visualizzazioni non note"),
        ["removed_within_24h"] = ("Removed within 24 hours of upload", "Rimossi entro 24 ore dal caricamento"),
        ["removed_automated"] = ("Removed by automation", "Rimossi in modo automatizzato"),
        ["restored_after_appeal"] = ("Restored after appeal", "Ripristinati dopo ricorso"),
        ["content_restricted"] = ("Restricted without removal", "Limitati senza rimozione"),
        ["accounts_banned"] = ("Accounts removed", "Account rimossi"),
        ["accounts_suspended"] = ("Accounts suspended", "Account sospesi"),
        ["appeals_submitted"] = ("Appeals submitted", "Ricorsi presentati"),
        ["appeals_decided"] = ("Appeals decided", "Ricorsi decisi"),
        ["appeals_upheld"] = ("Appeals: decision upheld", "Ricorsi: decisione confermata"),
        ["appeals_reversed"] = ("Appeals: decision reversed", "Ricorsi: decisione annullata"),
        ["appeal_median_hours_to_decide"] = ("Appeals: median hours to decide", "Ricorsi: ore mediane per decidere"),
        ["violent_extremism_removed"] = ("Violent extremism removals", "Rimozioni per estremismo violento"),
        ["violent_extremism_share"] = ("Violent extremism, share of all removals", "Estremismo violento, quota di tutte le rimozioni"),
        ["by_policy"] = ("Removals by policy", "Rimozioni per policy"),
        ["by_sub_policy"] = ("Removals by policy and rule", "Rimozioni per policy e regola"),
        ["by_market"] = ("Removals by market", "Rimozioni per mercato"),
        ["accounts"] = ("Accounts removed, by basis", "Account rimossi, per motivo"),
        ["key"] = ("Cut", "Suddivisione"),
        ["other"] = ("Other markets", "Altri mercati"),
        ["zero_tolerance"] = ("Zero tolerance", "Tolleranza zero"),
        ["strikes"] = ("Strike threshold", "Soglia di strike"),
        ["offplatform_finding"] = ("Off-platform findings", "Riscontri al di fuori della piattaforma"),
        ["notes"] = ("How the figures are counted", "Come sono contati i dati"),
        ["none"] = ("—", "—"),
        ["synthetic"] = ("", ""),
        ["tco.item"] = ("Item", "Voce"),
        ["tco.count"] = ("Number", "Numero"),
        ["tco.context"] = ("Information", "Informazioni"),
        ["chart.policy"] = ("Removals by policy", "Rimozioni per policy"),
        ["chart.market"] = ("Removals by market", "Rimozioni per mercato"),
    };

    public static string T(string key, string lang) =>
        Texts.TryGetValue(key, out var t) ? (lang == "it" ? t.It : t.En) : key;
}
