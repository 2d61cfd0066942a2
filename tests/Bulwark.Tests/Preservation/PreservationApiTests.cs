using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Preservation;

/// <summary>The preservation endpoints: restricted scopes, every access audited, holds with clear refusals.</summary>
public class PreservationApiTests
{
    [Fact]
    public async Task Only_legal_officer_scopes_reach_preserved_content_and_every_access_is_audited()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var sha = await UploadAsync(host.Services, "api-p1", "acct-lo", Instruction, "clip preserved over the API");
        await host.WaitForStatusAsync("api-p1");
        await host.Services.GetRequiredService<PreservationService>().CopyPendingAsync(default);

        var admin = host.Client(await host.KeyAsync(Scopes.Read, Scopes.Admin, Scopes.Ingest, Scopes.AppealsDecide));
        var officer = host.Client(await host.KeyAsync(Scopes.PreservationRead));
        var holder = host.Client(await host.KeyAsync(Scopes.PreservationHold));

        var refused = await admin.GetAsync("/api/v1/preservation");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("preservation:read", (await Json(refused)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(null).GetAsync("/api/v1/preservation")).StatusCode);

        var list = await Json(await officer.GetAsync("/api/v1/preservation?contentId=api-p1"));
        var id = list.GetProperty("items")[0].GetProperty("id").GetInt64();
        var item = await Json(await officer.GetAsync($"/api/v1/preservation/{id}"));
        Assert.Equal("preserved", item.GetProperty("status").GetString());
        Assert.Equal(sha, item.GetProperty("files")[0].GetProperty("sha256").GetString());
        var file = await officer.GetAsync($"/api/v1/preservation/{id}/files/{sha}");
        Assert.Equal("clip preserved over the API", await file.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.GetAsync($"/api/v1/preservation/{id}/files/not-a-hash")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync("/api/v1/preservation/9999")).StatusCode);

        // Reading does not allow holding, and holds are refused clearly.
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync($"/api/v1/preservation/{id}/holds", new { reference = "R-1", reason = "r" })).StatusCode);
        var empty = await holder.PostAsJsonAsync($"/api/v1/preservation/{id}/holds", new { reference = "", reason = "investigation" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await Json(empty)).GetProperty("errors").TryGetProperty("reference", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await holder.PostAsJsonAsync("/api/v1/preservation/9999/holds", new { reference = "R-1", reason = "r" })).StatusCode);
        var placed = await holder.PostAsJsonAsync($"/api/v1/preservation/{id}/holds", new { reference = "ORDER-2026-3", reason = "Authority request" });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var holdId = (await Json(placed)).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await holder.PostAsJsonAsync($"/api/v1/preservation/{id}/holds/{holdId}/release", new { reason = "Closed" })).StatusCode);
        var twice = await holder.PostAsJsonAsync($"/api/v1/preservation/{id}/holds/{holdId}/release", new { reason = "Closed" });
        Assert.Equal("urn:bulwark:problem:hold-already-released", (await Json(twice)).GetProperty("type").GetString());

        await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        var access = await db.AuditEntries.Where(e => e.Subject.StartsWith("preservation:") && e.Actor != "preservation").OrderBy(e => e.Seq).Select(e => e.Action).ToListAsync();
        Assert.Equal(["preservation.listed", "preservation.read", "preservation.file_downloaded", "preservation.hold_placed", "preservation.hold_released"], access);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => await r.Content.ReadFromJsonAsync<JsonElement>();
}
