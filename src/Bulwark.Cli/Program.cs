using System.CommandLine;
using Bulwark.Cli.Commands;

namespace Bulwark.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var config = new Option<string?>("--config") { Description = "A JSON configuration file (same keys as the server's appsettings.json).", Recursive = true };
        var root = new RootCommand("Bulwark: operate the trust-and-safety pipeline from the command line.")
        {
            config,
            AdminCommands.Db(config),
            AdminCommands.ApiKey(config),
            IngestCommand.Create(config),
            AdminCommands.DeadLetters(config),
            QueueCommands.Create(config),
            AdminCommands.Audit(config),
            LoadgenCommand.Create(),
            HashCommands.Hash(config),
            HashCommands.Match(config),
            OcrCommand.Create(config),
            BankCommands.Create(config),
            EntityCommands.Lists(config),
            EntityCommands.Entities(config),
            EntityCommands.Screen(config),
            ClassifierCommands.Create(config),
            SemanticCommands.Create(),
            LexiconCommands.Lexicon(),
            LexiconCommands.Speech(),
            DeliveryCommands.Webhooks(config),
            DeliveryCommands.Sor(config),
            PolicyCommands.Rules(config),
            PolicyCommands.Policies(config),
            DecisionCommands.Create(config),
            AppealCommands.Create(config),
            UserCommands.Create(config),
            ResearchCommands.Create(config),
            ReportsCommands.Create(config),
            AuthorityCommands.Create(config),
            ExchangeCommands.Create(config),
        };
        try
        {
            // No response files: an argument starting with '@' (a handle, a hashtag, a text) is that text, never a file to read.
            return await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex) // a setting the server would refuse at start-up
        {
            Console.Error.WriteLine($"error: invalid configuration: {string.Join(" ", ex.Failures)}");
            return 1;
        }
        catch (InvalidDataException ex) // bad input data (e.g. a classifier CSV over its size limit): the message names the file
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (System.Data.Common.DbException ex) when (MissingSchema(ex))
        {
            Console.Error.WriteLine($"error: the database has no Bulwark tables yet, or an older schema ({ex.Message.Trim()}). " +
                "Run `bulwark db migrate` first (the server applies migrations when it starts).");
            return 1;
        }
    }

    /// <summary>SQLite's "no such table", PostgreSQL's undefined_table (42P01) or undefined_column (42703).</summary>
    private static bool MissingSchema(System.Data.Common.DbException ex) =>
        ex.Message.Contains("no such table", StringComparison.Ordinal) || ex.Message.Contains("no such column", StringComparison.Ordinal)
        || ex.SqlState is "42P01" or "42703";
}
