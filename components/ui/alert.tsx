import type * as React from "react";
import { cva, type VariantProps } from "class-variance-authority";
import { CircleAlert, CircleCheck, Info, TriangleAlert } from "lucide-react";
import { cn } from "@/lib/utils";

const alertVariants = cva("flex gap-2.5 rounded-md border px-3 py-2.5 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0", {
  variants: {
    variant: {
      info: "border-info/25 bg-info/5 [&>svg]:text-info",
      success: "border-success/25 bg-success/5 [&>svg]:text-success",
      warning: "border-warning/35 bg-warning/8 [&>svg]:text-warning",
      destructive: "border-destructive/30 bg-destructive/5 [&>svg]:text-destructive",
    },
  },
  defaultVariants: { variant: "info" },
});

const icons = { info: Info, success: CircleCheck, warning: TriangleAlert, destructive: CircleAlert };

export type AlertProps = Omit<React.ComponentProps<"div">, "title"> &
  VariantProps<typeof alertVariants> & {
    title?: React.ReactNode;
    /** Replace the variant's icon, or pass null for none. */
    icon?: React.ReactNode;
  };

/** A callout. Destructive alerts get role="alert" (announced); the others role="status". */
export function Alert({ className, variant, title, icon, children, role, ...props }: AlertProps) {
  const Icon = icons[variant ?? "info"];
  return (
    <div role={role ?? (variant === "destructive" ? "alert" : "status")} className={cn(alertVariants({ variant }), className)} {...props}>
      {icon === undefined ? <Icon aria-hidden /> : icon}
      <div className="grid min-w-0 gap-0.5">
        {title ? <p className="font-medium leading-5">{title}</p> : null}
        {children ? <div className="leading-5 text-foreground/80">{children}</div> : null}
      </div>
    </div>
  );
}
