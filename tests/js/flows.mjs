// Drive amazon-cognito-identity-js (the SDK behind Amplify v5) against a Recognito server.
//
//   echo '{"endpoint": ..., "poolId": ..., "clientId": ..., "username": ..., ...}' \
//     | node tests/js/flows.mjs signIn
//
// Prints one JSON line: {"ok": true, ...} or {"ok": false, "code": ..., "message": ...}.
// Used by tests/api/test_js_sdk.py; needs Node 18+ (global fetch).

import sdk from "amazon-cognito-identity-js";

const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = sdk;

function readStdin() {
  return new Promise((resolve, reject) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => resolve(text));
    process.stdin.on("error", reject);
  });
}

function unexpected(reject, name) {
  return () => reject(Object.assign(new Error(`unexpected ${name} callback`), { code: name }));
}

// authenticateUser (USER_SRP_AUTH by default) as a promise; `handlers` may add challenge
// callbacks, any other challenge rejects with its callback's name.
function authenticate(user, password, handlers = {}) {
  const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
  return new Promise((resolve, reject) => {
    const callbacks = { onSuccess: resolve, onFailure: reject };
    for (const name of [
      "newPasswordRequired",
      "mfaRequired",
      "totpRequired",
      "customChallenge",
      "mfaSetup",
      "selectMFAType",
    ]) {
      callbacks[name] = handlers[name]
        ? (...args) => handlers[name](callbacks, ...args)
        : unexpected(reject, name);
    }
    user.authenticateUser(details, callbacks);
  });
}

function tokens(session) {
  return {
    idTokenPayload: session.getIdToken().decodePayload(),
    accessTokenPayload: session.getAccessToken().decodePayload(),
    hasRefreshToken: Boolean(session.getRefreshToken().getToken()),
  };
}

const flows = {
  async signIn({ user, input }) {
    return tokens(await authenticate(user, input.password));
  },

  // The same SRP sign-in, given a wrong password: the caller expects {ok: false, ...}.
  async wrongPassword(args) {
    return flows.signIn(args);
  },

  async signInNewPassword({ user, input }) {
    const session = await authenticate(user, input.password, {
      newPasswordRequired(callbacks) {
        user.completeNewPasswordChallenge(input.newPassword, {}, callbacks);
      },
    });
    return tokens(session);
  },

  // CUSTOM_AUTH without a password (initiateAuth): each custom challenge is answered with
  // input.answers[round] (the round number is the function's public parameter), then tokens.
  async customChallenge({ user, input }) {
    user.setAuthenticationFlowType("CUSTOM_AUTH");
    const details = new AuthenticationDetails({ Username: user.getUsername() });
    const rounds = [];
    const session = await new Promise((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: reject,
        customChallenge(parameters) {
          rounds.push(parameters);
          user.sendCustomChallengeAnswer(input.answers[parameters.round], callbacks);
        },
      };
      user.initiateAuth(details, callbacks);
    });
    return { rounds, ...tokens(session) };
  },

  // CUSTOM_AUTH through authenticateUser: the SDK sends SRP_A inside CUSTOM_AUTH and answers
  // PASSWORD_VERIFIER itself; the custom challenges after it are answered as above.
  async customChallengeAfterPassword({ user, input }) {
    user.setAuthenticationFlowType("CUSTOM_AUTH");
    const rounds = [];
    const session = await authenticate(user, input.password, {
      customChallenge(callbacks, parameters) {
        rounds.push(parameters);
        user.sendCustomChallengeAnswer(input.answers[parameters.round], callbacks);
      },
    });
    return { rounds, ...tokens(session) };
  },

  async signUp({ pool, input }) {
    const attributes = Object.entries(input.attributes ?? {}).map(
      ([Name, Value]) => new CognitoUserAttribute({ Name, Value }),
    );
    const result = await new Promise((resolve, reject) =>
      pool.signUp(input.username, input.password, attributes, [], (err, data) =>
        err ? reject(err) : resolve(data),
      ),
    );
    return {
      userConfirmed: result.userConfirmed,
      userSub: result.userSub,
      codeDeliveryDetails: result.codeDeliveryDetails ?? null,
    };
  },

  async forgotPassword({ user }) {
    const data = await new Promise((resolve, reject) =>
      user.forgotPassword({
        onFailure: reject,
        onSuccess: unexpected(reject, "onSuccess"),
        inputVerificationCode: resolve,
      }),
    );
    return { codeDeliveryDetails: data.CodeDeliveryDetails };
  },

  async confirmPassword({ user, input }) {
    const result = await new Promise((resolve, reject) =>
      user.confirmPassword(input.code, input.newPassword, { onSuccess: resolve, onFailure: reject }),
    );
    return { result };
  },

  async changePassword({ user, input }) {
    await authenticate(user, input.password);
    const result = await new Promise((resolve, reject) =>
      user.changePassword(input.password, input.newPassword, (err, data) =>
        err ? reject(err) : resolve(data),
      ),
    );
    return { result };
  },
  // Remembered devices: sign in answering TOTP MFA with input.totpCode (the SDK confirms
  // the new device itself), setDeviceStatusRemembered, then sign in again as a fresh
  // CognitoUser of the same storage: the SDK answers DEVICE_SRP_AUTH and
  // DEVICE_PASSWORD_VERIFIER with the device secret it keeps, and any MFA prompt fails.
  async rememberDevice({ pool, user, input }) {
    let confirmationNecessary = false;
    await new Promise((resolve, reject) => {
      const details = new AuthenticationDetails({
        Username: user.getUsername(),
        Password: input.password,
      });
      user.authenticateUser(details, {
        onSuccess: (_session, necessary) => {
          confirmationNecessary = Boolean(necessary);
          resolve();
        },
        onFailure: reject,
        totpRequired: () => {
          user.sendMFACode(
            input.totpCode,
            {
              onSuccess: (_session, necessary) => {
                confirmationNecessary = Boolean(necessary);
                resolve();
              },
              onFailure: reject,
            },
            "SOFTWARE_TOKEN_MFA",
          );
        },
        mfaRequired: unexpected(reject, "mfaRequired"),
      });
    });
    await new Promise((resolve, reject) =>
      user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }),
    );
    const deviceKey = user.deviceKey;
    const again = new CognitoUser({ Username: input.username, Pool: pool });
    const session = await authenticate(again, input.password);
    const listed = await new Promise((resolve, reject) =>
      again.listDevices(60, null, { onSuccess: resolve, onFailure: reject }),
    );
    return {
      confirmationNecessary,
      deviceKey,
      secondDeviceKey: again.deviceKey,
      listedKeys: listed.Devices.map((d) => d.DeviceKey),
      ...tokens(session),
    };
  },
};

async function main() {
  const flow = flows[process.argv[2]];
  if (!flow) {
    console.error(`usage: node flows.mjs <${Object.keys(flows).join("|")}> < input.json`);
    process.exit(2);
  }
  const input = JSON.parse(await readStdin());
  const pool = new CognitoUserPool({
    UserPoolId: input.poolId,
    ClientId: input.clientId,
    endpoint: input.endpoint,
  });
  const user = new CognitoUser({ Username: input.username, Pool: pool });
  return flow({ pool, user, input });
}

try {
  process.stdout.write(JSON.stringify({ ok: true, ...(await main()) }) + "\n");
} catch (err) {
  const code = err?.code ?? err?.name ?? "Error";
  process.stdout.write(JSON.stringify({ ok: false, code, message: err?.message ?? String(err) }) + "\n");
}
