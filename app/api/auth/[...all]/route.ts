import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/server/auth/auth.ts";

export const { GET, POST } = toNextJsHandler(auth);
