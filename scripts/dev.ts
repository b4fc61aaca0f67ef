import { prepareEnvironment, printUrls } from "./lib/local-env";
import { startMailSink } from "./lib/mail-sink";
import { runServer } from "./lib/run-next";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const { env, pg } = await prepareEnvironment({ seed: true });
// Without an SMTP relay, mail goes to a local sink: shown in the terminal and at the viewer URL.
if (!env.SMTP_URL) {
  const sink = await startMailSink({
    httpPort: Number(env.MAIL_VIEWER_PORT ?? 3025),
    onMail: (mail) => {
      const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
      console.log(`✉  ${mail.to.join(", ")}: ${mail.subject}${link ? `\n   ${link}` : ""}`);
    },
  });
  env.SMTP_URL = sink.smtpUrl;
  console.log(`Mail is not sent anywhere in development: read it at ${sink.viewerUrl}/ (or in this terminal).`);
}
printUrls(env);
runServer("dev", { hostname: "localhost", port: env.PORT ?? "3000" }, env, pg, { worker: true });
