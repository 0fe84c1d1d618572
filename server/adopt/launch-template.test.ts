import { describe, expect, it } from "vitest";
import { appVersionIn, withAppVersion } from "./launch-template.ts";

describe("an adopted template's user data gets the release's version", () => {
  it("changes the APP_VERSION assignment and the local cloud's version directive, nothing else", () => {
    const script = "#!/bin/bash\n# localcloud: boot_seconds=3 version=v1\nexport APP_VERSION=v1\n/opt/shop/start --port 8080\n";
    const out = withAppVersion(script, "v2");
    expect(out).toBe("#!/bin/bash\n# localcloud: boot_seconds=3 version=v2\nexport APP_VERSION=v2\n/opt/shop/start --port 8080\n");
    expect(appVersionIn(out!)).toBe("v2");
  });
  it("keeps quotes, and adds an assignment after the shebang when the script has none", () => {
    expect(withAppVersion("#!/bin/sh\nAPP_VERSION='1.0'\n", "1.1")).toBe("#!/bin/sh\nAPP_VERSION='1.1'\n");
    expect(withAppVersion("#!/bin/bash\nstart\n", "v3")).toBe("#!/bin/bash\nexport APP_VERSION=v3\nstart\n");
  });
  it("refuses what is not a shell script (cloud-config): it cannot carry the version", () => {
    expect(withAppVersion("#cloud-config\nruncmd: [start]\n", "v2")).toBeNull();
    expect(appVersionIn("#cloud-config\n")).toBeNull();
  });
});
