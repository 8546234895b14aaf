package jp.kominkan.cloud.staff;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.account.PasswordPolicy;
import jp.kominkan.cloud.account.PersonFields;
import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.login.LoginThrottle;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * Staff login, sessions and invitations. A main administrator invites others by e-mail with a
 * one-time link; the link's token is in the mail only, the database holds its SHA-256.
 */
public final class StaffService {

    private static final System.Logger LOG = System.getLogger(StaffService.class.getName());

    private final StaffRepository staff;
    private final PasswordHasher hasher;
    private final MailOutbox outbox;
    private final Clock clock;
    private final Duration sessionLifetime;
    private final Duration invitationLifetime;
    private final LoginThrottle throttle;

    /**
     * @param staff              where staff live
     * @param hasher             password hasher
     * @param outbox             where invitation mails wait to be sent
     * @param clock              the clock
     * @param sessionLifetime    how long a staff login lasts
     * @param invitationLifetime how long an invitation link works
     * @param throttle           slows password guessing
     */
    public StaffService(StaffRepository staff, PasswordHasher hasher, MailOutbox outbox, Clock clock,
                        Duration sessionLifetime, Duration invitationLifetime, LoginThrottle throttle) {
        this.throttle = throttle;
        this.staff = staff;
        this.hasher = hasher;
        this.outbox = outbox;
        this.clock = clock;
        this.sessionLifetime = sessionLifetime;
        this.invitationLifetime = invitationLifetime;
    }

    /**
     * Creates a main administrator directly: for setting up a municipality (and the demo).
     *
     * @param municipality where
     * @param email        e-mail
     * @param password     password
     * @param name         name
     * @return the member
     */
    public StaffMember createMainAdministrator(Municipality municipality, String email, String password, String name) {
        return createMember(municipality, email, password, name, StaffRole.MAIN, Set.of());
    }

    /**
     * Creates a member of staff directly, without an invitation: for the demo's caretaker.
     *
     * @param municipality where
     * @param email        e-mail
     * @param password     password
     * @param name         name
     * @param role         role
     * @param facilities   the facilities in scope (none for a main administrator)
     * @return the member
     */
    public StaffMember createMember(Municipality municipality, String email, String password, String name, StaffRole role,
                                    Set<Long> facilities) {
        StaffMember member = new StaffMember(UUID.randomUUID(), municipality.id(), email(email),
                PersonFields.name(name), role, role == StaffRole.MAIN ? Set.of() : facilities);
        if (!staff.insert(member, hasher.hash(password(password, member)), clock.instant())) {
            throw Problem.conflict("email-taken", "A staff account with this e-mail already exists.",
                    "このメールアドレスの職員アカウントは登録済みです。");
        }
        return member;
    }

    /**
     * A one-time link for a municipality's first main administrator, made on the command line and
     * shown there (not mailed): whoever runs the command hands it over.
     *
     * @param municipality where
     * @param email        the administrator's e-mail
     * @param baseUrl      the site's address, e.g. https://yoyaku.city.example.lg.jp
     * @return the link, with its one-time token
     */
    public String inviteFirstAdministrator(Municipality municipality, String email, String baseUrl) {
        String address = email(email);
        String token = Tokens.random();
        Instant now = clock.instant();
        staff.insertInvitation(new Invitation(Tokens.sha256Hex(token), municipality.id(), address, StaffRole.MAIN,
                null, Set.of(), now, now.plus(invitationLifetime), Optional.empty()));
        return baseUrl + "/staff/invitation#token=" + token;
    }

    /** @return how long an invitation link works */
    public Duration invitationLifetime() {
        return invitationLifetime;
    }

    /**
     * @param municipality where
     * @param email        e-mail
     * @param password     password
     * @param source       where the attempt comes from ({@link jp.kominkan.cloud.web.ClientAddress})
     * @return a new staff session
     * @throws Problem 401 when wrong (alike for an unknown e-mail), 429 with a wait while the throttle holds back
     */
    public Session login(Municipality municipality, String email, String password, String source) {
        if (email == null || password == null) {
            throw Problem.badRequest("missing-credentials", "Send both email and password.",
                    "メールアドレスとパスワードを入力してください。");
        }
        return throttle.attempt(LoginThrottle.Realm.STAFF, municipality.id(), email, source,
                () -> checkPassword(municipality, email, password));
    }

    private Session checkPassword(Municipality municipality, String email, String password) {
        Optional<StaffRepository.Credential> found =
                staff.findByEmail(municipality.id(), email.strip().toLowerCase(Locale.ROOT));
        if (!hasher.verifyOrDecoy(password, found.map(StaffRepository.Credential::passwordHash))) {
            throw Problem.unauthorized("The e-mail or the password is wrong.",
                    "メールアドレスまたはパスワードが正しくありません。");
        }
        String token = Tokens.random();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(sessionLifetime);
        staff.insertSession(Tokens.sha256Hex(token), found.get().staffId(), now, expiresAt);
        return new Session(token, expiresAt);
    }

    /**
     * @param municipality the municipality of the request
     * @param token        a staff session token
     * @return the member, while the session lasts and only in their own municipality
     */
    public Optional<StaffMember> authenticate(Municipality municipality, String token) {
        return staff.findBySession(Tokens.sha256Hex(token), clock.instant())
                .filter(member -> member.municipalityId() == municipality.id());
    }

    /**
     * @param municipality where
     * @param email        an e-mail
     * @return the member of staff with it, if any (disabled or not)
     */
    public Optional<StaffMember> findByEmail(Municipality municipality, String email) {
        return PersonFields.email(email).flatMap(address -> staff.findAnyByEmail(municipality.id(), address));
    }

    /**
     * @param token a staff session token
     */
    public void logout(String token) {
        staff.deleteSession(Tokens.sha256Hex(token));
    }

    /**
     * Invites someone to become staff: stores the invitation and, in the same transaction, its mail in
     * the outbox (sent by the mail worker, retried while the mail server is down).
     *
     * @param municipality where
     * @param inviter      who invites (must be a main administrator)
     * @param email        whom to invite
     * @param role         the role offered
     * @param facilities   for a child administrator: the facilities in scope (at least one)
     * @param baseUrl      the site's address, for the link, e.g. https://yoyaku.city.example.lg.jp
     * @return the invitation
     */
    public Invitation invite(Municipality municipality, StaffMember inviter, String email, StaffRole role,
                             Set<Long> facilities, String baseUrl) {
        return invite(municipality, inviter, email, role, facilities, baseUrl, (tx, invitation) -> { });
    }

    /**
     * Like {@link #invite(Municipality, StaffMember, String, StaffRole, Set, String)}, with more work in the
     * invitation's transaction (the operation log entry, withdrawing an earlier link).
     *
     * @param municipality where
     * @param inviter      who invites (must be a main administrator)
     * @param email        whom to invite
     * @param role         the role offered
     * @param facilities   for a scoped role: the facilities in scope (at least one)
     * @param baseUrl      the site's address, for the link
     * @param also         runs in the same transaction, after the invitation is stored
     * @return the invitation
     */
    public Invitation invite(Municipality municipality, StaffMember inviter, String email, StaffRole role,
                             Set<Long> facilities, String baseUrl, BiConsumer<DbTransaction, Invitation> also) {
        if (inviter.role() != StaffRole.MAIN) {
            throw Problem.forbidden("Only a main administrator can invite staff.",
                    "職員を招待できるのは主管理者だけです。");
        }
        String address = email(email);
        if (role != StaffRole.MAIN && facilities.isEmpty()) {
            throw Problem.badField("facilities", "Choose at least one facility for this role.",
                    "この権限には、担当する施設を 1 つ以上選んでください。");
        }
        Set<Long> scope = role == StaffRole.MAIN ? Set.of() : facilities;
        if (!staff.facilitiesBelong(municipality.id(), scope)) {
            throw Problem.badField("facilities", "One of the facilities does not exist here.",
                    "指定された施設の中に、存在しないものがあります。");
        }
        String token = Tokens.random();
        Instant now = clock.instant();
        Invitation invitation = new Invitation(Tokens.sha256Hex(token), municipality.id(), address, role,
                inviter.id(), scope, now, now.plus(invitationLifetime), Optional.empty());
        // The invitation and its mail are written together; the outbox's worker sends it, again after a failure.
        staff.insertInvitation(invitation, tx -> {
            outbox.enqueue(tx, municipality.id(), "staff-invitation",
                    invitationMail(municipality, inviter, invitation, baseUrl, token), now);
            also.accept(tx, invitation);
        });
        LOG.log(Level.INFO, "Staff invitation queued (" + role.wire() + ", " + scope.size() + " facilities)");
        return invitation;
    }

    /**
     * Uses an invitation link: creates the staff account with the invited e-mail, role and scope.
     *
     * @param municipality where
     * @param token        the token from the link
     * @param name         the new member's name
     * @param password     the new member's password
     * @return the new member
     */
    public StaffMember accept(Municipality municipality, String token, String name, String password) {
        if (token == null || token.isBlank()) {
            throw Problem.badField("token", "The invitation link is incomplete. Open the link from the e-mail again.",
                    "招待リンクが不完全です。メールのリンクをもう一度開いてください。");
        }
        Invitation invitation = staff.invitation(Tokens.sha256Hex(token.strip()))
                .filter(found -> found.municipalityId() == municipality.id())
                .orElseThrow(StaffService::linkNotUsable);
        if (invitation.acceptedAt().isPresent() || !invitation.expiresAt().isAfter(clock.instant())) {
            throw linkNotUsable();
        }
        StaffMember member = new StaffMember(UUID.randomUUID(), municipality.id(), invitation.email(),
                PersonFields.name(name),
                invitation.role(), invitation.facilities());
        return switch (staff.accept(invitation, member, hasher.hash(password(password, member)), clock.instant())) {
            case ACCEPTED -> member;
            case USED_OR_EXPIRED -> throw linkNotUsable();
            case EMAIL_TAKEN -> throw Problem.conflict("email-taken",
                    "A staff account with this e-mail already exists. Log in instead.",
                    "このメールアドレスの職員アカウントは登録済みです。ログインしてください。");
        };
    }

    private static Problem linkNotUsable() {
        return Problem.conflict("invitation-not-usable",
                "This invitation link has expired or has already been used. Ask your main administrator for a new one.",
                "この招待リンクは有効期限が切れているか、すでに使われています。主管理者に再招待を依頼してください。");
    }

    private static Mailer.Mail invitationMail(Municipality municipality, StaffMember inviter, Invitation invitation,
                                              String baseUrl, String token) {
        String until = DateTimeFormatter.ofPattern("yyyy年M月d日 H:mm")
                .format(invitation.expiresAt().atZone(ZoneId.of(municipality.zone().getId())));
        String role = invitation.role().japanese();
        String body = """
                %s 公共施設予約システムの%sとして招待されました（招待者: %s）。

                次のリンクを開き、お名前とパスワードを設定してください。
                %s/staff/invitation#token=%s

                このリンクは %s まで、1 回だけ使えます。
                心当たりのない場合は、このメールを破棄してください。

                You have been invited as staff of %s's facility booking system. Open the link above to set
                your name and password. It works once, until the time above.
                """.formatted(municipality.name(), role, inviter.name(), baseUrl, token, until, municipality.name());
        return new Mailer.Mail(invitation.email(), "【" + municipality.name() + "】施設予約システム 職員アカウントへの招待",
                body);
    }


    private static String email(String email) {
        return PersonFields.email(email).orElseThrow(() -> Problem.badField("email",
                "Enter an e-mail address such as taro@city.example.lg.jp.",
                "メールアドレスを正しく入力してください（例: taro@city.example.lg.jp）。"));
    }

    /** Staff passwords follow the same policy as residents', a little longer (docs/security.md). */
    private static String password(String password, StaffMember member) {
        return PasswordPolicy.standard().check(password, PasswordPolicy.MIN_STAFF, Optional.of(member.email()),
                Optional.of(member.name()));
    }

    /**
     * A staff login.
     *
     * @param token     the bearer token, shown once
     * @param expiresAt when it stops working
     */
    public record Session(String token, Instant expiresAt) {
    }
}
