using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    version_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    account_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    region = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    language = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: true),
                    created_day = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    text = table.Column<string>(type: "text", nullable: true),
                    hashtags = table.Column<string>(type: "text", nullable: false),
                    view_count = table.Column<long>(type: "bigint", nullable: true),
                    is_public = table.Column<bool>(type: "boolean", nullable: false),
                    is_adult = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_content", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_index_state",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    last_version_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_index_state", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "research_members",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    client_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    secret_hash = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_members", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_objections",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    account_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_objections", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_projects",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    title = table.Column<string>(type: "text", nullable: false),
                    organisation = table.Column<string>(type: "text", nullable: false),
                    applicant_name = table.Column<string>(type: "text", nullable: false),
                    applicant_email = table.Column<string>(type: "text", nullable: false),
                    independence_declaration = table.Column<string>(type: "text", nullable: false),
                    funding = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    safeguards = table.Column<string>(type: "text", nullable: false),
                    public_summary = table.Column<string>(type: "text", nullable: false),
                    requested_json = table.Column<string>(type: "text", nullable: false),
                    requested_start = table.Column<DateOnly>(type: "date", nullable: false),
                    requested_end = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    granted_json = table.Column<string>(type: "text", nullable: false),
                    narrowed = table.Column<bool>(type: "boolean", nullable: false),
                    end_date = table.Column<DateOnly>(type: "date", nullable: true),
                    daily_requests = table.Column<int>(type: "integer", nullable: false),
                    daily_records = table.Column<int>(type: "integer", nullable: false),
                    per_minute = table.Column<int>(type: "integer", nullable: false),
                    decision_reason = table.Column<string>(type: "text", nullable: true),
                    decided_by = table.Column<string>(type: "text", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    applied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    pseudonym_key = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_projects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_query_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    log_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    dataset = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    query_json = table.Column<string>(type: "text", nullable: false),
                    fields = table.Column<string>(type: "text", nullable: false),
                    search_id = table.Column<string>(type: "text", nullable: true),
                    row_count = table.Column<int>(type: "integer", nullable: false),
                    result_hash = table.Column<string>(type: "text", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_query_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_searches",
                columns: table => new
                {
                    search_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    dataset = table.Column<string>(type: "text", nullable: false),
                    query_json = table.Column<string>(type: "text", nullable: false),
                    fields = table.Column<string>(type: "text", nullable: false),
                    watermark = table.Column<long>(type: "bigint", nullable: false),
                    random_seed = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_searches", x => x.search_id);
                });

            migrationBuilder.CreateTable(
                name: "research_tokens",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_tokens", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "research_usage",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    window = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    requests = table.Column<int>(type: "integer", nullable: false),
                    records = table.Column<int>(type: "integer", nullable: false)
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
