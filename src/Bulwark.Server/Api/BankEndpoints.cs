using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record BankRequest(string? Name, string? Description, bool? Safe, int? PdqThreshold, double? VpdqQueryMatchPercent, double? VpdqReferenceMatchPercent, bool? Enabled);
public sealed record EntryRequest(string? SignalType, string? Value, List<string>? Labels, string? Entity, string? Source);
public sealed record EntriesRequest(List<EntryRequest>? Entries, bool SkipInvalid);
public sealed record EntriesResponse(IReadOnlyList<EntryView> Added, IReadOnlyList<EntryError> Errors);
public sealed record EntryPatch(bool? Enabled);

/// <summary><c>/api/v1/banks</c>: hash lists and their entries. Reading needs the read scope, changing them admin.</summary>
public static class BankEndpoints
{
    public static void MapBankEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/banks").WithTags("Banks").RequireAuthorization(Scopes.Read);
        read.MapGet("/", async (BankService banks, CancellationToken ct) => TypedResults.Ok(await banks.ListAsync(ct))).WithName("ListBanks").WithSummary("Every bank with its settings and entry count.");
        read.MapGet("/{name}", GetAsync).WithName("GetBank").WithSummary("One bank.");
        read.MapGet("/{name}/entries", ListEntriesAsync).WithName("ListBankEntries").WithSummary("A bank's entries in id order; page with ?cursor= (the previous page's nextCursor).");

        var admin = app.MapGroup("/api/v1/banks").WithTags("Banks").RequireAuthorization(Scopes.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateBank").AcceptsJson<BankRequest>(JsonSerializerOptions.Web).WithSummary("Create a bank: name, description, safe, pdqThreshold (31), vpdqQueryMatchPercent (80), vpdqReferenceMatchPercent (0).");
        admin.MapPatch("/{name}", UpdateAsync).WithName("UpdateBank").AcceptsJson<BankRequest>(JsonSerializerOptions.Web).WithSummary("Change a bank's settings, or enable/disable it.");
        admin.MapDelete("/{name}", DeleteAsync).WithName("DeleteBank").WithSummary("Delete a bank and its entries.");
        admin.MapPost("/{name}/entries", AddEntriesAsync).WithName("AddBankEntries").DisableAntiforgery().AcceptsJson<EntriesRequest>(JsonSerializerOptions.Web, "multipart/form-data")
            .WithSummary("Add entries as JSON ({entries:[{signalType,value,labels,entity,source}], skipInvalid}) or a file to hash (multipart 'file', with optional 'label', 'entity', 'source' fields). With invalid entries nothing is added unless skipInvalid.");
        admin.MapPatch("/{name}/entries/{id:long}", PatchEntryAsync).WithName("UpdateBankEntry").AcceptsJson<EntryPatch>(JsonSerializerOptions.Web).WithSummary("Enable or disable an entry without deleting it.");
    }

    private static async Task<Results<Ok<BankView>, ProblemHttpResult>> GetAsync(string name, BankService banks, CancellationToken ct)
    {
        try { return TypedResults.Ok(await banks.GetAsync(name, ct)); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<Created<BankView>, ProblemHttpResult>> CreateAsync(HttpContext http, BankService banks, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<BankRequest>(http, ct);
        if (problem is not null) return problem;
        if (body!.Name is null) return Problems.ValidationFailed([new FieldError("name", "is required")]);
        try
        {
            await banks.CreateBankAsync(body.Name, Settings(body), AdminEndpoints.Actor(http), ct);
            return TypedResults.Created($"/api/v1/banks/{body.Name}", await banks.GetAsync(body.Name, ct));
        }
        catch (ArgumentException ex) { return Problems.ValidationFailed([new FieldError(ex.ParamName ?? "body", Clean(ex))]); }
        catch (InvalidOperationException ex) { return Problems.Make(409, Problems.Validation, "The bank already exists.", ex.Message); }
    }

    private static async Task<Results<Ok<BankView>, ProblemHttpResult>> UpdateAsync(string name, HttpContext http, BankService banks, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<BankRequest>(http, ct);
        if (problem is not null) return problem;
        try { return TypedResults.Ok(await banks.UpdateAsync(name, Settings(body!), AdminEndpoints.Actor(http), ct)); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
        catch (ArgumentException ex) { return Problems.ValidationFailed([new FieldError("body", Clean(ex))]); }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, HttpContext http, BankService banks, CancellationToken ct)
    {
        try
        {
            await banks.DeleteAsync(name, AdminEndpoints.Actor(http), ct);
            return TypedResults.NoContent();
        }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<Ok<EntryPage>, ProblemHttpResult>> ListEntriesAsync(string name, BankService banks, CancellationToken ct, long cursor = 0, int limit = 100)
    {
        if (limit is < 1 or > 1000) return Problems.ValidationFailed([new FieldError("limit", "must be between 1 and 1000")]);
        try { return TypedResults.Ok(await banks.ListEntriesAsync(name, cursor, limit, ct)); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<Created<EntriesResponse>, ProblemHttpResult>> AddEntriesAsync(
        string name, HttpContext http, BankService banks, MediaHasher hasher, IngestOptions options, CancellationToken ct)
    {
        List<NewEntry> entries;
        var skip = false;
        if (http.Request.HasFormContentType)
        {
            var (hashes, _, form, problem) = await HashEndpoints.HashUploadAsync(http, hasher, options, ct);
            if (problem is not null) return problem;
            var labels = form.GetValueOrDefault("label")?.Where(l => !string.IsNullOrWhiteSpace(l)).ToList() ?? [];
            var entity = form.GetValueOrDefault("entity")?.FirstOrDefault();
            var source = form.GetValueOrDefault("source")?.FirstOrDefault();
            var signal = hashes!.Pdq is { } pdq ? new NewEntry("pdq", pdq.Hash.ToString(), labels, entity, source, pdq.Quality)
                : new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(hashes), labels, entity, source);
            entries = [signal];
        }
        else
        {
            var (body, problem) = await ReadAsync<EntriesRequest>(http, ct);
            if (problem is not null) return problem;
            if (body!.Entries is not { Count: > 0 }) return Problems.ValidationFailed([new FieldError("entries", "at least one entry is required")]);
            entries = body.Entries.Select(e => new NewEntry(e.SignalType ?? "", e.Value ?? "", e.Labels, e.Entity, e.Source)).ToList();
            skip = body.SkipInvalid;
        }
        try
        {
            var result = await banks.AddEntriesAsync(name, entries, skip, AdminEndpoints.Actor(http), ct);
            if (!result.Applied)
                return Problems.ValidationFailed(result.Errors.Select(e => new FieldError($"entries[{e.Position - 1}]", e.Message)));
            return TypedResults.Created($"/api/v1/banks/{name}/entries", new EntriesResponse(result.Added, result.Errors));
        }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PatchEntryAsync(string name, long id, HttpContext http, BankService banks, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<EntryPatch>(http, ct);
        if (problem is not null) return problem;
        if (body!.Enabled is not { } enabled) return Problems.ValidationFailed([new FieldError("enabled", "is required")]);
        try
        {
            return await banks.SetEntryEnabledAsync(name, id, enabled, AdminEndpoints.Actor(http), ct)
                ? TypedResults.NoContent() : Problems.NotFoundResult($"Bank '{name}' has no entry {id}.");
        }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static BankSettings Settings(BankRequest r) => new(r.Description, r.Safe, r.PdqThreshold, r.VpdqQueryMatchPercent, r.VpdqReferenceMatchPercent, r.Enabled);

    private static string Clean(ArgumentException ex) => ex.Message.Split(" (Parameter")[0];

    private static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class =>
        JsonBody.ReadBoundAsync<T>(http, ct);
}
