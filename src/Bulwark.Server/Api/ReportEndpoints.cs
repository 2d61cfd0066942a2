using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

/// <summary>
/// <c>/api/v1/reports</c>: the CGER as JSON over any ended period, and the published reports. Published files are also
/// public at <c>/transparency/reports/{id}/{name}</c> (no sign-in), the downloads of the <c>/transparency</c> page.
/// </summary>
public static class ReportEndpoints
{
    public const string ReportIncomplete = "urn:bulwark:problem:report-incomplete";
    public const string ReportInvalid = "urn:bulwark:problem:report-invalid";

    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Scopes.Read);
        api.MapGet("/cger", CgerAsync).WithName("CgerReport")
            .WithSummary("Community Guidelines Enforcement Report over ?from=YYYY-MM-DD&to=YYYY-MM-DD (inclusive, UTC days), computed from the daily rollups. 422 names the days whose rollups are missing.");
        api.MapGet("/published", async (TransparencyReports reports, CancellationToken ct) => TypedResults.Ok(await reports.ListAsync(true, ct)))
            .WithName("PublishedReports").WithSummary("Published transparency reports (every version), newest period first, with their files and SHA-256.");
        app.MapGet("/transparency/reports/{id:long}/{name}", FileAsync).AllowAnonymous().WithTags("Reports").WithName("PublishedReportFile")
            .WithSummary("A file of a published report (no sign-in). Drafts are not served here.");
    }

    private static async Task<Results<Ok<CgerReport>, ProblemHttpResult>> CgerAsync(string? from, string? to, TransparencyReports reports, CancellationToken ct)
    {
        var (period, error) = ReportPeriod.Of(from, to);
        if (period is null) return Problems.Make(400, ReportInvalid, "The period is invalid.", error!);
        try { return TypedResults.Ok(await reports.CgerAsync(period.Value, ct)); }
        catch (ReportRefusedException ex) when (ex.Kind == ReportRefusedException.Incomplete) { return Problems.Make(422, ReportIncomplete, "The rollups of the period are incomplete.", ex.Message); }
        catch (ReportRefusedException ex) { return Problems.Make(400, ReportInvalid, "The report cannot be produced.", ex.Message); }
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> FileAsync(long id, string name, HttpContext http, TransparencyReports reports, CancellationToken ct)
    {
        if (await reports.FileAsync(id, name, includeDrafts: false, ct) is not { } f) return Problems.NotFoundResult($"Published report {id} has no file '{name}'.");
        // A report page is self-contained: its inline style and inline SVG may render, nothing else may load or run.
        var h = http.Response.Headers;
        h.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        // HTML, PDF and JSON open in the browser; CSV downloads under its name.
        return f.ContentType == "text/csv" ? TypedResults.File(f.Content, "text/csv; charset=utf-8", f.Name) : TypedResults.File(f.Content, f.ContentType == "text/html" ? "text/html; charset=utf-8" : f.ContentType);
    }
}
