using System.Globalization;
using System.Net;
using System.Text;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>Self-contained HTML pages (inline CSS and SVG charts, nothing fetched), printable to PDF as they are.</summary>
public static class ReportHtml
{
    private const string Style = "body{font-family:'DejaVu Sans',sans-serif;margin:2em;color:#222}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}" +
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.25em .6em;text-align:right}td:first-child,th:first-child{text-align:left}" +
        ".muted{color:#666;font-size:.9em}.chart svg{max-width:100%;height:auto}@media print{h2{break-after:avoid}table,.chart{break-inside:avoid}}";

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string Num(long v, string lang) => v.ToString("N0", Culture(lang));
    private static string Pct(double? v, string lang) => v is { } d ? d.ToString("P2", Culture(lang)) : "—";
    private static CultureInfo Culture(string lang) => CultureInfo.GetCultureInfo(lang == "it" ? "it-IT" : "en-GB");

    private static StringBuilder Page(string title, string period, DateTimeOffset generated, string lang)
    {
        var sb = new StringBuilder();
        sb.Append($"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{E(title)} {E(period)}</title><style>{Style}</style></head><body>");
        sb.Append($"<h1>{E(title)}</h1><p class=\"muted\">{E(ReportText.T("period", lang))}: {E(period)} · {E(ReportText.T("generated", lang))}: {generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</p>");
        return sb;
    }

    public static string Cger(CgerReport r, string lang)
    {
        string T(string k) => ReportText.T(k, lang);
        var sb = Page(T("cger.title"), r.Period, r.GeneratedAt, lang);
        sb.Append($"<h2>{E(T("summary"))}</h2><table id=\"summary\"><tr><th>{E(T("metric"))}</th><th>{E(T("value"))}</th></tr>");
        foreach (var (metric, value) in r.SummaryRows())
        {
            var shown = metric.EndsWith("share", StringComparison.Ordinal) || metric.EndsWith("share_of_uploads", StringComparison.Ordinal)
                ? Pct(value.Length == 0 ? null : double.Parse(value, CultureInfo.InvariantCulture), lang)
                : metric.Contains("median", StringComparison.Ordinal) ? (value.Length == 0 ? "—" : double.Parse(value, CultureInfo.InvariantCulture).ToString("N1", Culture(lang)))
                : Num(long.Parse(value, CultureInfo.InvariantCulture), lang);
            sb.Append($"<tr><td>{E(T(metric))}</td><td data-metric=\"{E(metric)}\">{E(shown)}</td></tr>");
        }
        sb.Append("</table>");
        sb.Append($"<div class=\"chart\" id=\"chart-policy\">{ReportCharts.Bars(T("chart.policy"), r.ByPolicy.Select(p => (p.Key, (double)p.Removed)).ToList())}</div>");
        Rows(sb, T("by_policy"), "by-policy", r.ByPolicy.Prepend(r.Total), lang, k => k);
        sb.Append($"<div class=\"chart\" id=\"chart-market\">{ReportCharts.Bars(T("chart.market"), r.ByMarket.Select(p => (p.Key == CgerReport.Other ? T("other") : p.Key, (double)p.Removed)).ToList())}</div>");
        Rows(sb, T("by_market"), "by-market", r.ByMarket, lang, k => k == CgerReport.Other ? T("other") : k);
        Rows(sb, T("by_sub_policy"), "by-sub-policy", r.ByRule, lang, k => k);
        sb.Append($"<h2>{E(T("accounts"))}</h2><table id=\"accounts\"><tr><th>{E(T("key"))}</th><th>{E(T("accounts_banned"))}</th></tr>");
        foreach (var (k, v) in r.Accounts.BannedByBasis) sb.Append($"<tr><td>{E(T(k))}</td><td>{Num(v, lang)}</td></tr>");
        sb.Append($"<tr><td>{E(T("accounts_suspended"))}</td><td>{Num(r.Accounts.Suspended, lang)}</td></tr></table>");
        sb.Append($"<h2>{E(T("notes"))}</h2><ul class=\"muted\">");
        foreach (var n in r.Notes) sb.Append($"<li>{E(n)}</li>");
        sb.Append("</ul></body></html>");
        return sb.ToString();
    }

    private static void Rows(StringBuilder sb, string title, string id, IEnumerable<CgerRow> rows, string lang, Func<string, string> label)
    {
        string T(string k) => ReportText.T(k, lang);
        sb.Append($"<h2>{E(title)}</h2><table id=\"{id}\"><tr><th>{E(T("key"))}</th><th>{E(T("content_removed"))}</th><th>{E(T("removed_proactive"))}</th><th>{E(T("removed_zero_views"))}</th>" +
            $"<th>{E(T("removed_within_24h"))}</th><th>{E(T("removed_automated"))}</th><th>{E(T("restored_after_appeal"))}</th></tr>");
        foreach (var r in rows)
            sb.Append($"<tr><td>{E(label(r.Key))}</td><td>{Num(r.Removed, lang)}</td><td>{Num(r.Proactive, lang)}</td><td>{Num(r.ZeroViews, lang)}</td><td>{Num(r.Within24h, lang)}</td><td>{Num(r.Automated, lang)}</td><td>{Num(r.Restored, lang)}</td></tr>");
        sb.Append("</table>");
    }

    public static string Tco(TcoReport r, string lang)
    {
        var sb = Page(ReportText.T("tco.title", lang), r.Period, r.GeneratedAt, lang);
        sb.Append($"<table id=\"tco\"><tr><th>{E(ReportText.T("tco.item", lang))}</th><th>{E(ReportText.T("tco.count", lang))}</th><th>{E(ReportText.T("tco.context", lang))}</th></tr>");
        foreach (var i in r.Items)
            sb.Append($"<tr><td>{E(i.Id)}. {E(lang == "it" ? i.TitleIt : i.Title)}</td><td data-item=\"{E(i.Id)}\">{(i.Count is { } c ? Num(c, lang) : "—")}</td><td style=\"text-align:left\">{E(i.Context)}</td></tr>");
        sb.Append("</table></body></html>");
        return sb.ToString();
    }
}
