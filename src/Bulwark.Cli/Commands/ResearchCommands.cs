using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Reports.Research;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>research codebook [--out FILE]</c>, <c>research projects [--status S]</c>,
/// <c>research decide ID --decision approve|narrow|reject --reason TEXT [--grant dataset=f1,f2]… [--end-date D]</c>,
/// <c>research member add ID --name NAME</c>, <c>research member revoke CLIENT_ID --reason TEXT</c>.
/// </summary>
public static class ResearchCommands
{
    private const string Actor = "cli";

    public static Command Create(Option<string?> config)
    {
        var output = new Option<string?>("--out") { Description = "Write the codebook to this file instead of standard output." };
        var codebook = new Command("codebook", "Print the researcher API codebook (Markdown), generated from the catalogue the API serves.") { output };
        codebook.SetAction(async (parse, ct) =>
        {
            var text = Codebook.Markdown();
            if (parse.GetValue(output) is { } file) await File.WriteAllTextAsync(file, text, ct);
            else Console.Write(text);
            return 0;
        });

        var status = new Option<string?>("--status") { Description = "Only projects with this status." };
        status.AcceptOnlyFromAmong(ProjectStatus.Applied, ProjectStatus.Approved, ProjectStatus.Rejected);
        var projects = new Command("projects", "List research applications and projects.") { status };
        projects.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var rows = await sp.GetRequiredService<ResearchProjects>().ListAsync(parse.GetValue(status), ct);
            var table = new Table().AddColumns("id", "title", "organisation", "status", "granted", "end", "requests/day", "records/day");
            foreach (var p in rows)
                table.AddRow(p.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(p.Title), Markup.Escape(p.Organisation), p.Status + (p.Narrowed ? " (narrowed)" : ""),
                    Markup.Escape(string.Join(", ", ResearchProjects.Parse(p.GrantedJson).Keys)), p.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                    p.DailyRequests.ToString(CultureInfo.InvariantCulture), p.DailyRecords.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            Console.WriteLine($"{rows.Count} project(s).");
            return 0;
        });

        var id = new Argument<long>("id") { Description = "The project id." };
        var decision = new Option<string>("--decision") { Description = "approve, narrow (grant a subset) or reject.", Required = true };
        decision.AcceptOnlyFromAmong(ProjectDecisions.Approve, ProjectDecisions.Narrow, ProjectDecisions.Reject);
        var reason = new Option<string>("--reason") { Description = "Why; the applicant is told.", Required = true };
        var grant = new Option<string[]>("--grant") { Description = "For narrow: dataset=field1,field2 (repeat per dataset).", AllowMultipleArgumentsPerToken = true };
        var endDate = new Option<string?>("--end-date") { Description = "The last day of access (YYYY-MM-DD); default the requested end." };
        var decide = new Command("decide", "Approve, narrow or reject an application (audited).") { id, decision, reason, grant, endDate };
        decide.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            Dictionary<string, IReadOnlyList<string>>? granted = null;
            if (parse.GetValue(grant) is { Length: > 0 } g)
                granted = g.Select(x => x.Split('=', 2)).ToDictionary(p => p[0], p => (IReadOnlyList<string>)(p.Length > 1 ? p[1].Split(',', StringSplitOptions.RemoveEmptyEntries) : []));
            DateOnly? end = parse.GetValue(endDate) is { } e
                ? DateOnly.TryParseExact(e, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw new CliException($"--end-date '{e}' is not YYYY-MM-DD")
                : null;
            var result = await sp.GetRequiredService<ResearchProjects>().DecideAsync(parse.GetValue(id), new ProjectDecision(parse.GetValue(decision)!, parse.GetValue(reason), granted, end), Actor, ct);
            if (!result.Ok) throw new CliException(string.Join("; ", result.Errors.Select(x => $"{x.Field} {x.Message}")));
            Console.WriteLine($"Project {result.Value!.Id} {result.Value.Status}{(result.Value.Narrowed ? " (narrowed)" : "")}.");
            return 0;
        });

        var name = new Option<string>("--name") { Description = "The member's name.", Required = true };
        var add = new Command("add", "Add the principal or a collaborator; prints client_id and client_secret once.") { id, name };
        add.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var result = await sp.GetRequiredService<ResearchProjects>().AddMemberAsync(parse.GetValue(id), parse.GetValue(name), Actor, ct);
            if (!result.Ok) throw new CliException(string.Join("; ", result.Errors.Select(x => $"{x.Field} {x.Message}")));
            Console.WriteLine($"client_id     {result.Value!.ClientId}");
            Console.WriteLine($"client_secret {result.Value.ClientSecret}");
            Console.WriteLine("The secret is shown only now.");
            return 0;
        });
        var clientId = new Argument<string>("client-id") { Description = "The member's client_id." };
        var revokeReason = new Option<string>("--reason") { Description = "Why; audited.", Required = true };
        var revoke = new Command("revoke", "Revoke a member's credentials and tokens (audited).") { clientId, revokeReason };
        revoke.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            if (!await sp.GetRequiredService<ResearchProjects>().RevokeMemberAsync(parse.GetValue(clientId)!, parse.GetValue(revokeReason)!, Actor, ct))
                throw new CliException($"no active member has client_id '{parse.GetValue(clientId)}'");
            Console.WriteLine("Revoked.");
            return 0;
        });
        return new Command("research", "Researcher access: codebook, projects and members (docs/research-api.md).")
        {
            codebook, projects, decide, new Command("member", "Project members and their credentials.") { add, revoke },
        };
    }
}
