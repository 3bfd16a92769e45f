// Drive Amplify JS v6 (`aws-amplify`) against a Recognito server, in Node.
//
//   node tests/js/amplify.mjs <flow>
//
// A conversation over lines of JSON: the first line on stdin is the input
// ({"endpoint", "poolId", "clientId", "username", ...}); whenever the flow needs something
// only the test has (an emailed code, a TOTP code) it prints {"ask": ...} and reads the
// answer as the next line; at the end it prints {"done": {"ok": true, ...}} or
// {"done": {"ok": false, "code", "message"}}. Every request Amplify sent is reported in
// "calls" (operation, flow or challenge, HTTP status, error type), and each failing
// response is also written to stderr, so a refusal names its request.
// Used by tests/api/test_amplify.py; needs Node 20+ (global fetch and crypto).

import { createInterface } from "node:readline";

import { Amplify } from "aws-amplify";
import * as auth from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";

// Node 20 has fetch and crypto but no `navigator` (Node 21 added it): Amplify names a new
// device from navigator.userAgent, and without it silently skips ConfirmDevice.
globalThis.navigator ??= { userAgent: `Node.js/${process.version}` };

// ----------------------------------------------------------------- the conversation

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function readLine() {
  const { value, done } = await lines.next();
  if (done) throw new Error("stdin closed before the test answered");
  return JSON.parse(value);
}

function say(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

async function ask(question) {
  say({ ask: question });
  return (await readLine()).answer;
}

// ----------------------------------------------------------------- what Amplify sent

const calls = [];
const realFetch = globalThis.fetch;

globalThis.fetch = async (resource, init = {}) => {
  const target = new Headers(init.headers ?? {}).get("x-amz-target") ?? "";
  const operation = target.split(".").pop();
  let body = {};
  try {
    body = JSON.parse(init.body ?? "{}");
  } catch {
    // not JSON: nothing to note
  }
  const response = await realFetch(resource, init);
  const call = { operation, status: response.status };
  if (body.AuthFlow) call.authFlow = body.AuthFlow;
  if (body.ChallengeName) call.challenge = body.ChallengeName;
  if (body.AuthParameters?.PREFERRED_CHALLENGE)
    call.preferred = body.AuthParameters.PREFERRED_CHALLENGE;
  if (response.status >= 400) {
    const text = await response.clone().text();
    call.error = response.headers.get("x-amzn-errortype")?.split(":")[0] ?? text;
    console.error(`${operation} ${JSON.stringify(body)} -> ${response.status} ${text}`);
  }
  calls.push(call);
  return response;
};

// ----------------------------------------------------------------- configuration

// Tokens (and remembered-device keys) kept in a Map: Node has no localStorage.
class MapStorage {
  constructor() {
    this.items = new Map();
  }
  async setItem(key, value) {
    this.items.set(key, value);
  }
  async getItem(key) {
    return this.items.get(key) ?? null;
  }
  async removeItem(key) {
    this.items.delete(key);
  }
  async clear() {
    this.items.clear();
  }
}

const storage = new MapStorage();

// What Amplify keeps under `<prefix>.<clientId>.<username>.<name>` (e.g. deviceKey).
function stored(name) {
  for (const [key, value] of storage.items) if (key.endsWith(`.${name}`)) return value;
  return null;
}

function configure(input) {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: input.poolId,
        userPoolClientId: input.clientId,
        userPoolEndpoint: input.endpoint,
        loginWith: { email: true, username: true },
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
}

// ----------------------------------------------------------------- helpers

function payload(jwt) {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
}

async function tokens(options = {}) {
  const session = await auth.fetchAuthSession(options);
  const { accessToken, idToken } = session.tokens;
  return {
    accessToken: accessToken.toString(),
    accessTokenPayload: accessToken.payload,
    idTokenPayload: idToken.payload,
  };
}

function step(output) {
  return output.nextStep?.signInStep ?? output.nextStep?.signUpStep;
}

function expectStep(output, wanted) {
  if (step(output) !== wanted) {
    throw Object.assign(new Error(`expected ${wanted}, got ${JSON.stringify(output)}`), {
      code: "UnexpectedStep",
    });
  }
  return output;
}

const SRP = { authFlowType: "USER_SRP_AUTH" };

async function srpSignIn(username, password) {
  return expectStep(await auth.signIn({ username, password, options: SRP }), "DONE");
}

// ----------------------------------------------------------------- flows

const flows = {
  // signUp with autoSignIn, confirmSignUp with the emailed code, then autoSignIn():
  // input.autoSignIn is `true` (Amplify signs in with the password) or an options object
  // such as {authFlowType: "USER_AUTH"} (the sign-up session is handed on).
  async signUpAutoSignIn({ username, password, email, autoSignIn }) {
    const signedUp = await auth.signUp({
      username,
      password,
      options: { userAttributes: { email }, autoSignIn },
    });
    expectStep(signedUp, "CONFIRM_SIGN_UP");
    const code = await ask({ emailCode: email });
    const confirmed = expectStep(
      await auth.confirmSignUp({ username, confirmationCode: code }),
      "COMPLETE_AUTO_SIGN_IN",
    );
    const signedIn = expectStep(await auth.autoSignIn(), "DONE");
    return {
      signUp: { userId: signedUp.userId, delivery: signedUp.nextStep.codeDeliveryDetails },
      confirmed: confirmed.isSignUpComplete,
      isSignedIn: signedIn.isSignedIn,
      user: await auth.getCurrentUser(),
      ...(await tokens()),
    };
  },

  async srpSignIn({ username, password }) {
    const output = await srpSignIn(username, password);
    return {
      isSignedIn: output.isSignedIn,
      attributes: await auth.fetchUserAttributes(),
      ...(await tokens()),
    };
  },

  async wrongPassword({ username, password }) {
    return flows.srpSignIn({ username, password });
  },

  // USER_AUTH: with preferredChallenge EMAIL_OTP the code is asked for at once; without it
  // Amplify is offered the factors and picks EMAIL_OTP with confirmSignIn.
  async emailOtpSignIn({ username, email, preferred }) {
    const options = { authFlowType: "USER_AUTH" };
    if (preferred) options.preferredChallenge = "EMAIL_OTP";
    let output = await auth.signIn({ username, options });
    let offered = null;
    if (!preferred) {
      expectStep(output, "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION");
      offered = output.nextStep.availableChallenges;
      output = await auth.confirmSignIn({ challengeResponse: "EMAIL_OTP" });
    }
    expectStep(output, "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    const delivery = output.nextStep.codeDeliveryDetails;
    const code = await ask({ emailCode: email, digits: 8 });
    expectStep(await auth.confirmSignIn({ challengeResponse: code }), "DONE");
    return { offered, delivery, ...(await tokens()) };
  },

  // USER_AUTH with the password as the first factor, PASSWORD or PASSWORD_SRP.
  async passwordFirstFactor({ username, password, preferred }) {
    const options = { authFlowType: "USER_AUTH", preferredChallenge: preferred };
    expectStep(await auth.signIn({ username, password, options }), "DONE");
    return tokens();
  },

  // Signed in, setUpTOTP + verifyTOTPSetup + updateMFAPreference; then a new sign-in
  // answers SOFTWARE_TOKEN_MFA.
  async totpSetUpThenSignIn({ username, password }) {
    await srpSignIn(username, password);
    const details = await auth.setUpTOTP();
    const secret = details.sharedSecret;
    const setupUri = details.getSetupUri("Recognito", username).toString();
    await auth.verifyTOTPSetup({ code: await ask({ totp: secret }) });
    await auth.updateMFAPreference({ totp: "PREFERRED" });
    const preference = await auth.fetchMFAPreference();
    await auth.signOut();
    const challenged = await auth.signIn({ username, password, options: SRP });
    expectStep(challenged, "CONFIRM_SIGN_IN_WITH_TOTP_CODE");
    const done = await auth.confirmSignIn({ challengeResponse: await ask({ totp: secret }) });
    expectStep(done, "DONE");
    return { secret, setupUri, preference, ...(await tokens()) };
  },

  // A pool with MFA ON: the first sign-in is asked to set TOTP up (MFA_SETUP), answered
  // with confirmSignIn; the next sign-in answers SOFTWARE_TOKEN_MFA.
  async totpRequiredSetUp({ username, password }) {
    let output = await auth.signIn({ username, password, options: SRP });
    if (step(output) === "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION") {
      output = await auth.confirmSignIn({ challengeResponse: "TOTP" });
    }
    expectStep(output, "CONTINUE_SIGN_IN_WITH_TOTP_SETUP");
    const secret = output.nextStep.totpSetupDetails.sharedSecret;
    expectStep(
      await auth.confirmSignIn({ challengeResponse: await ask({ totp: secret }) }),
      "DONE",
    );
    await auth.signOut();
    const challenged = await auth.signIn({ username, password, options: SRP });
    expectStep(challenged, "CONFIRM_SIGN_IN_WITH_TOTP_CODE");
    expectStep(
      await auth.confirmSignIn({ challengeResponse: await ask({ totp: secret }) }),
      "DONE",
    );
    return { secret, ...(await tokens()) };
  },

  // A TOTP user signs in (Amplify confirms the device it is handed), remembers the device,
  // signs out and in again: the device's own SRP proof stands in for the TOTP code. Then
  // forgetDevice, and the device is gone from fetchDevices.
  async rememberedDevice({ username, password }) {
    const first = await auth.signIn({ username, password, options: SRP });
    expectStep(first, "CONFIRM_SIGN_IN_WITH_TOTP_CODE");
    expectStep(
      await auth.confirmSignIn({ challengeResponse: await ask({ totp: null }) }),
      "DONE",
    );
    const deviceKey = stored("deviceKey");
    await auth.rememberDevice();
    const devices = async () =>
      (await auth.fetchDevices()).map(({ id, name, attributes }) => ({ id, name, attributes }));
    const remembered = await devices();
    await auth.signOut();
    const again = expectStep(await auth.signIn({ username, password, options: SRP }), "DONE");
    const signedInAgain = await tokens();
    await auth.forgetDevice();
    return {
      deviceKey,
      remembered,
      isSignedInAgain: again.isSignedIn,
      afterForget: await devices(),
      keptDeviceKey: stored("deviceKey"),
      ...signedInAgain,
    };
  },

  async resetPassword({ username, email, newPassword }) {
    const started = await auth.resetPassword({ username });
    const code = await ask({ emailCode: email });
    await auth.confirmResetPassword({ username, confirmationCode: code, newPassword });
    await srpSignIn(username, newPassword);
    return {
      step: started.nextStep.resetPasswordStep,
      delivery: started.nextStep.codeDeliveryDetails,
      ...(await tokens()),
    };
  },

  async updatePassword({ username, password, newPassword }) {
    await srpSignIn(username, password);
    await auth.updatePassword({ oldPassword: password, newPassword });
    await auth.signOut();
    await srpSignIn(username, newPassword);
    return tokens();
  },

  // fetchAuthSession({forceRefresh}) trades the refresh token for new tokens; then
  // signOut({global: true}). The test tries both access tokens afterwards.
  async refreshThenGlobalSignOut({ username, password }) {
    await srpSignIn(username, password);
    const before = await tokens();
    const after = await tokens({ forceRefresh: true });
    await auth.signOut({ global: true });
    const session = await auth.fetchAuthSession();
    return {
      before,
      after,
      signedOutHasTokens: Boolean(session.tokens),
    };
  },
};

// ----------------------------------------------------------------- main

async function main() {
  const flow = flows[process.argv[2]];
  if (!flow) {
    console.error(`usage: node amplify.mjs <${Object.keys(flows).join("|")}>`);
    process.exit(2);
  }
  const input = await readLine();
  configure(input);
  return flow(input);
}

let done;
try {
  done = { ok: true, ...(await main()) };
} catch (err) {
  done = { ok: false, code: err?.name ?? err?.code ?? "Error", message: err?.message ?? String(err) };
}
say({ done: { ...done, calls } });
process.exit(0);
