using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using Bulwark.Core.Signals.Entities;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record ScreenRequest(string? Text, string? Name, double? Threshold);
public sealed record ScreenResponse(string Kind, IReadOnlyList<TextScreenMatch>? Matches, IReadOnlyList<NameScreenMatch>? NameMatches);
public sealed record TermRequest(string? Type, string? Value, string? Grade);
public sealed record EntityRequest(
    string? Kind, string? PrimaryName, string? Tier, string? Ideology, List<string>? RegionScope, string? Notes, List<string>? Evidence, List<TermRequest>? Terms);
public sealed record TransitionRequest(string? Reason);

/// <summary>
/// Designated entities: <c>POST /api/v1/screen</c> (read), <c>/api/v1/entities</c> (read to list and get; admin to create, change,
/// approve and revoke) and list imports <c>/api/v1/lists/{source}/imports</c> (admin to import, read to look at a run).
/// </summary>
public static class EntityEndpoints
{
    public const string InvalidList = "urn:bulwark:problem:invalid-list";
    public const string ListShrinkRefused = "urn:bulwark:problem:list-shrink-refused";
    public const string InvalidTransition = "urn:bulwark:problem:invalid-transition";

    public static void MapEntityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/screen", ScreenAsync).WithTags("Entities").RequireAuthorization(Scopes.Read).AcceptsJson<ScreenRequest>(JsonSerializerOptions.Web)
            .WithName("Screen").WithSummary("Screen {\"text\"} (every mention of an approved entity's names, aliases, hashtags, slogans, symbols) or {\"name\"} (fuzzy name match, optional threshold) with explanations.");

        var read = app.MapGroup("/api/v1/entities").WithTags("Entities").RequireAuthorization(Scopes.Read);
        read.MapGet("/", ListAsync).WithName("ListEntities").WithSummary("Entities in id order, filtered by status, tier, kind, source (list) and q (a name contains); page with ?cursor=.");
        read.MapGet("/{id:long}", GetAsync).WithName("GetEntity").WithSummary("One entity with its terms, list memberships, evidence and review state.");

        var admin = app.MapGroup("/api/v1/entities").WithTags("Entities").RequireAuthorization(Scopes.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateEntity").AcceptsJson<EntityRequest>(JsonSerializerOptions.Web).WithSummary("Propose an entity (it is screened once approved).");
        admin.MapPatch("/{id:long}", UpdateAsync).WithName("UpdateEntity").AcceptsJson<EntityRequest>(JsonSerializerOptions.Web).WithSummary("Change an entity's fields; terms, when given, replace the manually added terms.");
        admin.MapPost("/{id:long}/approve", (long id, HttpContext http, EntityRegistry r, CancellationToken ct) => TransitionAsync(id, http, r.ApproveAsync, ct))
            .WithName("ApproveEntity").AcceptsJson<TransitionRequest>(JsonSerializerOptions.Web).WithSummary("proposed → approved; {\"reason\"} is required and audited.");
        admin.MapPost("/{id:long}/revoke", (long id, HttpContext http, EntityRegistry r, CancellationToken ct) => TransitionAsync(id, http, r.RevokeAsync, ct))
            .WithName("RevokeEntity").AcceptsJson<TransitionRequest>(JsonSerializerOptions.Web).WithSummary("proposed or approved → revoked; {\"reason\"} is required and audited.");

        var lists = app.MapGroup("/api/v1/lists/{source}/imports").WithTags("Entities");
        lists.MapPost("/", ImportAsync).RequireAuthorization(Scopes.Admin).DisableAntiforgery().Accepts<IFormFile>("application/xml", "text/csv", "application/octet-stream", "multipart/form-data")
            .WithName("ImportList").WithSummary("Upload a list file (raw body, or multipart 'file'): un-sc and eu XML, or CSV for any other source. ?dryRun=true only reports the diff; ?force=true accepts a large shrink.");
        lists.MapGet("/", ListRunsAsync).RequireAuthorization(Scopes.Read).WithName("ListImports").WithSummary("The source's import runs, newest first.");
        lists.MapGet("/{id:long}", GetRunAsync).RequireAuthorization(Scopes.Read).WithName("GetImport").WithSummary("One import run with its diff.");
    }

    private static async Task<Results<Ok<ScreenResponse>, ProblemHttpResult>> ScreenAsync(HttpContext http, EntityScreeningService screening, EntityOptions options, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<ScreenRequest>(http, ct);
        if (problem is not null) return problem;
        if ((body!.Text is null) == (body.Name is null))
            return Problems.ValidationFailed([new FieldError("text", "exactly one of text or name is required")]);
        var (field, value) = body.Text is not null ? ("text", body.Text) : ("name", body.Name!);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new(field, "must not be empty"));
        else if (value.Length > options.MaxScreenChars) errors.Add(new(field, $"is {value.Length:N0} characters; at most {options.MaxScreenChars:N0} are screened per request"));
        else if (LoneSurrogate(value) is { } at) errors.Add(new(field, $"contains a lone UTF-16 surrogate at index {at}; send valid Unicode text"));
        if (body.Threshold is { } t && (t < 0.5 || t > 1 || double.IsNaN(t))) errors.Add(new("threshold", "must be between 0.5 and 1"));
        if (body.Threshold is not null && body.Name is null) errors.Add(new("threshold", "applies only to name screening"));
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        try
        {
            return TypedResults.Ok(body.Text is not null
                ? new ScreenResponse("text", await screening.ScreenTextAsync(value, ct), null)
                : new ScreenResponse("name", null, await screening.ScreenNameAsync(value, body.Threshold, ct)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !screening.Loaded)
        {
            return Problems.Make(503, Problems.Unavailable, "Screening is unavailable.", $"The screening index could not be loaded: {ex.Message}");
        }
    }

    private static async Task<Results<Ok<EntityPage>, ProblemHttpResult>> ListAsync(
        EntityRegistry registry, CancellationToken ct, string? status = null, string? tier = null, string? kind = null, string? source = null, string? q = null, long cursor = 0, int limit = 100)
    {
        try { return TypedResults.Ok(await registry.ListAsync(new EntityFilter(status, tier, kind, source, q), cursor, limit, ct)); }
        catch (EntityValidationException ex) { return Problems.ValidationFailed(ex.Errors); }
    }

    private static async Task<Results<Ok<EntityView>, ProblemHttpResult>> GetAsync(long id, EntityRegistry registry, CancellationToken ct)
    {
        try { return TypedResults.Ok(await registry.GetAsync(id, ct)); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<Created<EntityView>, ProblemHttpResult>> CreateAsync(HttpContext http, EntityRegistry registry, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<EntityRequest>(http, ct);
        if (problem is not null) return problem;
        try
        {
            var created = await registry.CreateAsync(Input(body!), AdminEndpoints.Actor(http), ct);
            return TypedResults.Created($"/api/v1/entities/{created.Id}", created);
        }
        catch (EntityValidationException ex) { return Problems.ValidationFailed(ex.Errors); }
    }

    private static async Task<Results<Ok<EntityView>, ProblemHttpResult>> UpdateAsync(long id, HttpContext http, EntityRegistry registry, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<EntityRequest>(http, ct);
        if (problem is not null) return problem;
        try { return TypedResults.Ok(await registry.UpdateAsync(id, Input(body!), AdminEndpoints.Actor(http), ct)); }
        catch (EntityValidationException ex) { return Problems.ValidationFailed(ex.Errors); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<Ok<EntityView>, ProblemHttpResult>> TransitionAsync(
        long id, HttpContext http, Func<long, string, string, CancellationToken, Task<EntityView>> transition, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<TransitionRequest>(http, ct);
        if (problem is not null) return problem;
        try { return TypedResults.Ok(await transition(id, body!.Reason ?? "", AdminEndpoints.Actor(http), ct)); }
        catch (EntityValidationException ex) { return Problems.ValidationFailed(ex.Errors); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
        catch (EntityTransitionException ex) { return Problems.Make(409, InvalidTransition, "The status change is not allowed.", ex.Message); }
    }

    private static async Task<Results<Created<ImportRunView>, Ok<ImportRunView>, ProblemHttpResult>> ImportAsync(
        string source, HttpContext http, ListImportService imports, CancellationToken ct, bool dryRun = false, bool force = false)
    {
        if (!ListImportService.IsValidSource(source))
            return Problems.ValidationFailed([new FieldError("source", "must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-' (un-sc, eu, or a CSV source name)")]);
        Stream content;
        string? fileName = null;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file");
            if (file is null) return Problems.ValidationFailed([new FieldError("file", "a multipart part named 'file' holding the list is required")]);
            content = file.OpenReadStream();
            fileName = file.FileName;
        }
        else content = http.Request.Body;
        ImportRunView run;
        await using (content)
            run = await imports.ImportAsync(source, content, fileName, new ImportRequest(dryRun, force), AdminEndpoints.Actor(http), ct);
        var location = $"/api/v1/lists/{source}/imports/{run.Id}";
        if (run.Status == ImportRunStatuses.Refused)
        {
            var extensions = new Dictionary<string, object?> { ["importId"] = run.Id, ["refusal"] = run.Refusal, ["issues"] = run.Diff.Issues.Take(100).ToList() };
            return run.Refusal == ImportRefusals.Shrink
                ? Problems.Make(409, ListShrinkRefused, "The list shrank too much; the import was refused.", run.Problem!, extensions)
                : Problems.Make(422, InvalidList, "The list cannot be imported.", run.Problem!, extensions);
        }
        return run.Status == ImportRunStatuses.DryRun ? TypedResults.Ok(run) : TypedResults.Created(location, run);
    }

    private static async Task<Results<Ok<IReadOnlyList<ImportRunView>>, ProblemHttpResult>> ListRunsAsync(string source, ListImportService imports, CancellationToken ct, int limit = 50)
    {
        if (limit is < 1 or > 500) return Problems.ValidationFailed([new FieldError("limit", "must be between 1 and 500")]);
        return TypedResults.Ok(await imports.ListRunsAsync(source, limit, ct));
    }

    private static async Task<Results<Ok<ImportRunView>, ProblemHttpResult>> GetRunAsync(string source, long id, ListImportService imports, CancellationToken ct)
    {
        try { return TypedResults.Ok(await imports.GetRunAsync(source, id, ct)); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static EntityInput Input(EntityRequest r) => new(
        r.Kind, r.PrimaryName, r.Tier, r.Ideology, r.RegionScope, r.Notes, r.Evidence,
        r.Terms?.Select(t => new EntityTerm(t?.Type ?? "", t?.Value ?? "", t?.Grade ?? EntityGrades.Strong)).ToList());

    private static int? LoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(s[i])) return i;
        }
        return null;
    }

    private static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class =>
        JsonBody.ReadBoundAsync<T>(http, ct);
}
