using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PolicyRulesEnforcement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "actions_json",
                table: "decisions",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "exception_applied",
                table: "decisions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "fired_json",
                table: "decisions",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "policy",
                table: "decisions",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "priority",
                table: "decisions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rule_set",
                table: "decisions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shadow_json",
                table: "decisions",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "offplatform_findings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    account_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    evidence_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    linked_entity = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_offplatform_findings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "policy_catalogue_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    json = table.Column<string>(type: "text", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policy_catalogue_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "rule_set_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    files_json = table.Column<string>(type: "text", nullable: false),
                    catalogue_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    activated_by = table.Column<string>(type: "text", nullable: false),
                    activated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_set_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "strikes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    account_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    policy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    weight = table.Column<double>(type: "double precision", nullable: false),
                    content_version_id = table.Column<long>(type: "bigint", nullable: true),
                    decision_id = table.Column<long>(type: "bigint", nullable: true),
                    cause_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    removed_reason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_strikes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_decisions_decided_at",
                table: "decisions",
                column: "decided_at");

            migrationBuilder.CreateIndex(
                name: "IX_offplatform_findings_account_id",
                table: "offplatform_findings",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "IX_strikes_account_id_expires_at",
                table: "strikes",
                columns: new[] { "account_id", "expires_at" });

            migrationBuilder.CreateIndex(
                name: "IX_strikes_cause_key",
                table: "strikes",
                column: "cause_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "offplatform_findings");

            migrationBuilder.DropTable(
                name: "policy_catalogue_versions");

            migrationBuilder.DropTable(
                name: "rule_set_versions");

            migrationBuilder.DropTable(
                name: "strikes");

            migrationBuilder.DropIndex(
                name: "IX_decisions_decided_at",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "actions_json",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "exception_applied",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "fired_json",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "policy",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "priority",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "rule_set",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "shadow_json",
                table: "decisions");
        }
    }
}
