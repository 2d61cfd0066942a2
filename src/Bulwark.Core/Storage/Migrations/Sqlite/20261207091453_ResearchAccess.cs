using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResearchAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "research_content",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    content_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    version_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    region = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    created_day = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: true),
                    hashtags = table.Column<string>(type: "TEXT", nullable: false),
                    view_count = table.Column<long>(type: "INTEGER", nullable: true),
                    is_public = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_adult = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_content", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_index_state",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    last_version_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_index_state", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "research_members",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_members", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_objections",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    content_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    recorded_by = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_objections", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_projects",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    organisation = table.Column<string>(type: "TEXT", nullable: false),
                    applicant_name = table.Column<string>(type: "TEXT", nullable: false),
                    applicant_email = table.Column<string>(type: "TEXT", nullable: false),
                    independence_declaration = table.Column<string>(type: "TEXT", nullable: false),
                    funding = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    safeguards = table.Column<string>(type: "TEXT", nullable: false),
                    public_summary = table.Column<string>(type: "TEXT", nullable: false),
                    requested_json = table.Column<string>(type: "TEXT", nullable: false),
                    requested_start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    requested_end = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    granted_json = table.Column<string>(type: "TEXT", nullable: false),
                    narrowed = table.Column<bool>(type: "INTEGER", nullable: false),
                    end_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    daily_requests = table.Column<int>(type: "INTEGER", nullable: false),
                    daily_records = table.Column<int>(type: "INTEGER", nullable: false),
                    per_minute = table.Column<int>(type: "INTEGER", nullable: false),
                    decision_reason = table.Column<string>(type: "TEXT", nullable: true),
                    decided_by = table.Column<string>(type: "TEXT", nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    applied_at = table.Column<long>(type: "INTEGER", nullable: false),
                    pseudonym_key = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_projects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_query_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    log_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    dataset = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    query_json = table.Column<string>(type: "TEXT", nullable: false),
                    fields = table.Column<string>(type: "TEXT", nullable: false),
                    search_id = table.Column<string>(type: "TEXT", nullable: true),
                    row_count = table.Column<int>(type: "INTEGER", nullable: false),
                    result_hash = table.Column<string>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_query_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_searches",
                columns: table => new
                {
                    search_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    dataset = table.Column<string>(type: "TEXT", nullable: false),
                    query_json = table.Column<string>(type: "TEXT", nullable: false),
                    fields = table.Column<string>(type: "TEXT", nullable: false),
                    watermark = table.Column<long>(type: "INTEGER", nullable: false),
                    random_seed = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_searches", x => x.search_id);
                });

            migrationBuilder.CreateTable(
                name: "research_tokens",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    issued_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_tokens", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_usage",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    window = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    requests = table.Column<int>(type: "INTEGER", nullable: false),
                    records = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_usage", x => new { x.project_id, x.window });
                });

            migrationBuilder.CreateIndex(
                name: "IX_research_content_account_id",
                table: "research_content",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "IX_research_content_content_id",
                table: "research_content",
                column: "content_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_research_content_created_day_id",
                table: "research_content",
                columns: new[] { "created_day", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_research_members_client_id",
                table: "research_members",
                column: "client_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_research_members_project_id",
                table: "research_members",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "IX_research_objections_account_id",
                table: "research_objections",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "IX_research_objections_content_id",
                table: "research_objections",
                column: "content_id");

            migrationBuilder.CreateIndex(
                name: "IX_research_projects_status",
                table: "research_projects",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_research_query_log_log_id",
                table: "research_query_log",
                column: "log_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_research_query_log_project_id_id",
                table: "research_query_log",
                columns: new[] { "project_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_research_searches_project_id",
                table: "research_searches",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "IX_research_tokens_member_id",
                table: "research_tokens",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "IX_research_tokens_token_hash",
                table: "research_tokens",
                column: "token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "research_content");

            migrationBuilder.DropTable(
                name: "research_index_state");

            migrationBuilder.DropTable(
                name: "research_members");

            migrationBuilder.DropTable(
                name: "research_objections");

            migrationBuilder.DropTable(
                name: "research_projects");

            migrationBuilder.DropTable(
                name: "research_query_log");

            migrationBuilder.DropTable(
                name: "research_searches");

            migrationBuilder.DropTable(
                name: "research_tokens");

            migrationBuilder.DropTable(
                name: "research_usage");
        }
    }
}
