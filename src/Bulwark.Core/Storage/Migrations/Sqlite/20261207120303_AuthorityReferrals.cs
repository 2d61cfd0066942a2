using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
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
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    referral_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    attempt = table.Column<int>(type: "INTEGER", nullable: true),
                    status_code = table.Column<int>(type: "INTEGER", nullable: true),
                    detail = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_authority_referral_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "authority_referrals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    decision_id = table.Column<long>(type: "INTEGER", nullable: true),
                    content_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    content_version_id = table.Column<long>(type: "INTEGER", nullable: false),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    member_state = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    member_state_basis = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    recipient_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    recipient_member_state = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    recipient_channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    recipient_address = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    recipient_example = table.Column<bool>(type: "INTEGER", nullable: false),
                    assessment = table.Column<string>(type: "TEXT", nullable: true),
                    urgency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    escalated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    referred_at = table.Column<long>(type: "INTEGER", nullable: true),
                    referred_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    delivered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    receipt = table.Column<string>(type: "TEXT", nullable: true),
                    manifest_json = table.Column<string>(type: "TEXT", nullable: true),
                    manifest_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    summary_html = table.Column<string>(type: "TEXT", nullable: true),
                    signature = table.Column<string>(type: "TEXT", nullable: true),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    signer_public_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    preserved_item_id = table.Column<long>(type: "INTEGER", nullable: true),
                    hold_id = table.Column<long>(type: "INTEGER", nullable: true)
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
