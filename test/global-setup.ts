/** Minimal placeholder (created by the MQTT frontend work); the test-infra owner replaces it. */
export default async function setup() {}
