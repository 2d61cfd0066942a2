using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuthorityReferrals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "authority_referral_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    referral_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    attempt = table.Column<int>(type: "integer", nullable: true),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_authority_referral_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "authority_referrals",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    reference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    case_id = table.Column<long>(type: "bigint", nullable: false),
                    decision_id = table.Column<long>(type: "bigint", nullable: true),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    content_version_id = table.Column<long>(type: "bigint", nullable: false),
                    account_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    member_state = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    member_state_basis = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    recipient_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    recipient_member_state = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    recipient_channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    recipient_address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    recipient_example = table.Column<bool>(type: "boolean", nullable: false),
                    assessment = table.Column<string>(type: "text", nullable: true),
                    urgency = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    escalated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    referred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    referred_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lease_owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    receipt = table.Column<string>(type: "text", nullable: true),
                    manifest_json = table.Column<string>(type: "text", nullable: true),
                    manifest_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    summary_html = table.Column<string>(type: "text", nullable: true),
                    signature = table.Column<string>(type: "text", nullable: true),
                    key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    signer_public_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    preserved_item_id = table.Column<long>(type: "bigint", nullable: true),
                    hold_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_authority_referrals", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_authority_referral_events_referral_id_id",
                table: "authority_referral_events",
                columns: new[] { "referral_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_authority_referrals_case_id",
                table: "authority_referrals",
                column: "case_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_authority_referrals_reference",
                table: "authority_referrals",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_authority_referrals_referred_at",
                table: "authority_referrals",
                column: "referred_at");

            migrationBuilder.CreateIndex(
                name: "IX_authority_referrals_status_next_attempt_at",
                table: "authority_referrals",
                columns: new[] { "status", "next_attempt_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "authority_referral_events");

            migrationBuilder.DropTable(
                name: "authority_referrals");
        }
    }
}
