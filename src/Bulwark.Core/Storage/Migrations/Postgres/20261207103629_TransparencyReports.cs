using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TransparencyReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "transparency_report_files",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    report_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    content_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_report_files", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "transparency_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    period_start = table.Column<DateOnly>(type: "date", nullable: false),
                    period_end = table.Column<DateOnly>(type: "date", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    change_note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    supersedes = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_reports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "transparency_rollup_days",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    computations = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_rollup_days", x => x.day);
                });

            migrationBuilder.CreateTable(
                name: "transparency_rollup_durations",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    policy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    tenths = table.Column<int>(type: "integer", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_rollup_durations", x => new { x.day, x.kind, x.policy, x.tenths });
                });

            migrationBuilder.CreateTable(
                name: "transparency_rollup_facts",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    market = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    policy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    sub_policy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    metric = table.Column<string>(type: "character varying(96)", maxLength: 96, nullable: false),
                    value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_rollup_facts", x => new { x.day, x.market, x.policy, x.sub_policy, x.metric });
                });

            migrationBuilder.CreateTable(
                name: "transparency_watermarks",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    position = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_watermarks", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_decided_at",
                table: "review_cases",
                column: "decided_at");

            migrationBuilder.CreateIndex(
                name: "IX_decisions_reversed_at",
                table: "decisions",
                column: "reversed_at");

            migrationBuilder.CreateIndex(
                name: "IX_content_items_first_seen_at",
                table: "content_items",
                column: "first_seen_at");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_decided_at",
                table: "appeals",
                column: "decided_at");

            migrationBuilder.CreateIndex(
                name: "IX_transparency_report_files_report_id_name",
                table: "transparency_report_files",
                columns: new[] { "report_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_transparency_reports_kind_period_start_period_end_version",
                table: "transparency_reports",
                columns: new[] { "kind", "period_start", "period_end", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_transparency_reports_status_published_at",
                table: "transparency_reports",
                columns: new[] { "status", "published_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "transparency_report_files");

            migrationBuilder.DropTable(
                name: "transparency_reports");

            migrationBuilder.DropTable(
                name: "transparency_rollup_days");

            migrationBuilder.DropTable(
                name: "transparency_rollup_durations");

            migrationBuilder.DropTable(
                name: "transparency_rollup_facts");

            migrationBuilder.DropTable(
                name: "transparency_watermarks");

            migrationBuilder.DropIndex(
                name: "IX_review_cases_decided_at",
                table: "review_cases");

            migrationBuilder.DropIndex(
                name: "IX_decisions_reversed_at",
                table: "decisions");

            migrationBuilder.DropIndex(
                name: "IX_content_items_first_seen_at",
                table: "content_items");

            migrationBuilder.DropIndex(
                name: "IX_appeals_decided_at",
                table: "appeals");
        }
    }
}
